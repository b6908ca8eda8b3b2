package update

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// countingTransport counts the requests that reach the registry, by method
// and kind of path.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

var pathKind = regexp.MustCompile(`^/v2/.+/(manifests|blobs/uploads|blobs)/`)

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	kind := r.URL.Path
	if m := pathKind.FindStringSubmatch(r.URL.Path); m != nil {
		kind = m[1]
		if r.URL.Query().Get("mount") != "" {
			kind += "?mount"
		}
	}
	c.mu.Lock()
	c.n[r.Method+" "+kind]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *countingTransport) total() (n int, what []string) {
	for k, v := range c.n {
		n += v
		what = append(what, k+": "+strconv.Itoa(v))
	}
	sort.Strings(what)
	return n, what
}

// TestFleetRequests bounds the registry requests of a fleet rebase without
// SBOMs: per app (an index of one or two platforms) the reads of the app,
// a mount per new base layer, a config check and upload and a manifest PUT
// per platform, and the index PUT by tag.
func TestFleetRequests(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 6)
	ts := f.targets(t)
	ct := &countingTransport{next: http.DefaultTransport, n: map[string]int{}}
	rep, err := Fleet(context.Background(), mustRef(t, f.base+":latest"), ts,
		WithSBOM(false), WithInventory(f.store), WithJobs(4), WithTransport(ct))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != len(f.apps) {
		t.Fatalf("rebased %d of %d", rep.Rebased, len(f.apps))
	}
	platforms := 0
	for _, r := range rep.Results {
		platforms += len(r.Changes)
	}
	n, what := ct.total()
	t.Logf("%d requests for %d apps (%d platforms): %.1f per app; %s", n, len(f.apps), platforms, float64(n)/float64(len(f.apps)), strings.Join(what, ", "))
	if ct.n["HEAD manifests"] > 0 {
		t.Errorf("%d manifest HEADs, want none (the tag is written once, by PUT)", ct.n["HEAD manifests"])
	}
	if got, want := ct.n["PUT manifests"], platforms+len(f.apps); got != want {
		t.Errorf("%d manifest PUTs, want %d (one per platform and one per index)", got, want)
	}
}
