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
// SBOMs (rebase's Pusher writes): per app (an index of one or two
// platforms) the reads of the app, and per platform at most one mount per
// changed base layer (each of these bases has one layer, and it changes),
// two requests for the config (POST, and the PUT docker-registry asks for)
// and one manifest PUT, then the index PUT by tag. No HEAD at all, no
// chunked upload.
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
	platforms, baseLayers := 0, 0
	for _, r := range rep.Results {
		platforms += len(r.Changes)
		for _, ch := range r.Changes {
			baseLayers += ch.NewBase.Layers
		}
	}
	n, what := ct.total()
	t.Logf("%d requests for %d apps (%d platforms): %.1f per app, %.1f per platform; %s", n, len(f.apps), platforms,
		float64(n)/float64(len(f.apps)), float64(n)/float64(platforms), strings.Join(what, ", "))
	for k, v := range ct.n {
		if strings.HasPrefix(k, "HEAD ") || strings.HasPrefix(k, "PATCH ") {
			t.Errorf("%d %s requests, want none", v, k)
		}
	}
	bounds := []struct {
		kind string
		max  int
		why  string
	}{
		{"POST blobs/uploads?mount", baseLayers, "at most one mount per changed base layer and platform"},
		{"POST blobs/uploads", platforms, "one config upload per platform"},
		{"PUT blobs/uploads", platforms, "one config PUT per platform (mounts complete with 201)"},
		{"PUT manifests", platforms + len(f.apps), "one per platform and one per index"},
	}
	for _, b := range bounds {
		if got := ct.n[b.kind]; got > b.max {
			t.Errorf("%d %s, want at most %d: %s", got, b.kind, b.max, b.why)
		}
	}
	if got, want := ct.n["PUT manifests"], platforms+len(f.apps); got != want {
		t.Errorf("%d manifest PUTs, want %d (one per platform and one per index)", got, want)
	}
	if got := ct.n["POST blobs/uploads?mount"]; got != platforms {
		t.Errorf("%d mounts, want %d: the one new base layer of each platform", got, platforms)
	}
}
