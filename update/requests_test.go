package update

import (
	"context"
	"net/http"
	"path"
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
		if kind == "manifests" && strings.HasPrefix(path.Base(r.URL.Path), "sha256-") {
			kind += ":referrers-tag"
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

// countedFleet rebases a fleet of 6 apps (with or without SBOMs) through a
// counting transport and returns it with the number of apps, of platforms
// and of new base layers over all platforms.
func countedFleet(t *testing.T, withSBOM bool) (ct *countingTransport, apps, platforms, baseLayers int) {
	t.Helper()
	f := newFleet(t, 6)
	ts := f.targets(t)
	ct = &countingTransport{next: http.DefaultTransport, n: map[string]int{}}
	rep, err := Fleet(context.Background(), mustRef(t, f.base+":latest"), ts,
		WithSBOM(withSBOM), WithInventory(f.store), WithJobs(4), WithTransport(ct))
	if err != nil {
		t.Fatal(err)
	}
	apps = len(f.apps)
	if rep.Rebased != apps {
		t.Fatalf("rebased %d of %d", rep.Rebased, apps)
	}
	for _, r := range rep.Results {
		platforms += len(r.Changes)
		for _, ch := range r.Changes {
			baseLayers += ch.NewBase.Layers
		}
	}
	n, what := ct.total()
	t.Logf("%d requests for %d apps (%d platforms): %.1f per app, %.1f per platform; %s", n, apps, platforms,
		float64(n)/float64(apps), float64(n)/float64(platforms), strings.Join(what, ", "))
	return ct, apps, platforms, baseLayers
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
	ct, apps, platforms, baseLayers := countedFleet(t, false)
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
		{"PUT manifests", platforms + apps, "one per platform and one per index"},
	}
	for _, b := range bounds {
		if got := ct.n[b.kind]; got > b.max {
			t.Errorf("%d %s, want at most %d: %s", got, b.kind, b.max, b.why)
		}
	}
	if got, want := ct.n["PUT manifests"], platforms+apps; got != want {
		t.Errorf("%d manifest PUTs, want %d (one per platform and one per index)", got, want)
	}
	if got := ct.n["POST blobs/uploads?mount"]; got != platforms {
		t.Errorf("%d mounts, want %d: the one new base layer of each platform", got, platforms)
	}
}

// TestFleetRequestsSBOM bounds the registry requests of a fleet rebase
// with SBOMs (the default), which rebase's Pusher attaches: per platform,
// on top of TestFleetRequests' writes (the manifests by digest, then the
// index by digest and by tag), two document uploads (POST, PUT each), two
// artifact manifest PUTs, and one read and one write of the referrers tag
// index (docker-registry has no referrers API); per app (a repository of
// its own) one upload of the empty config. No HEAD, no chunked upload, no
// probe of the referrers API.
//
// Measured with 6 apps (8 platforms): with sbom.Attach (go-containerregistry)
// 255 requests, 31.9 per platform, of which 160 (20 per platform) for the
// SBOMs: 30 HEAD, 22 PATCH, 16 probes of the referrers API, the referrers
// tag index read and written once per document; through the Pusher 171,
// 21.4 per platform, of which 76 (9.5 per platform) for the SBOMs.
func TestFleetRequestsSBOM(t *testing.T) {
	t.Parallel()
	ct, apps, platforms, _ := countedFleet(t, true)
	for k, v := range ct.n {
		if strings.HasPrefix(k, "PATCH ") || strings.Contains(k, "/referrers/") || (strings.HasPrefix(k, "HEAD ") && k != "HEAD manifests") {
			t.Errorf("%d %s requests, want none", v, k)
		}
	}
	bounds := []struct {
		kind string
		want int
		why  string
	}{
		{"HEAD manifests", apps, "the app's tag, read again before it moves: it must still name the image rebased, and the inventory records it (Undo); no HEAD of a subject"},
		{"POST blobs/uploads?mount", platforms, "the one new base layer of each platform"},
		{"POST blobs/uploads", 3*platforms + apps, "per platform the config and two documents; per repository the empty config"},
		{"PUT blobs/uploads", 3*platforms + apps, "the PUT docker-registry asks for after each upload's POST"},
		{"PUT manifests", 3*platforms + 2*apps, "per platform the manifest and two artifact manifests; per app the index by digest and by tag"},
		{"GET manifests:referrers-tag", platforms, "one read of each platform's referrers tag index"},
		{"PUT manifests:referrers-tag", platforms, "one write of each platform's referrers tag index, for both documents"},
	}
	for _, b := range bounds {
		if got := ct.n[b.kind]; got != b.want {
			t.Errorf("%d %s, want %d: %s", got, b.kind, b.want, b.why)
		}
	}
}
