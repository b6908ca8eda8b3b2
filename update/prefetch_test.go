package update

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestPrefetch: what Prefetch read ahead (each app's manifests and
// configs, by digest) is not read again by the fleet, which still reads each
// app's tag, so a tag moved meanwhile is seen.
func TestPrefetch(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 4)
	ts := f.targets(t)
	var appBlobs atomic.Int64 // blobs read from the apps' repositories
	ct := &countingTransport{next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/sha256:") && !strings.HasPrefix(r.URL.Path, "/v2/golden/base/") {
			appBlobs.Add(1)
		}
		return http.DefaultTransport.RoundTrip(r)
	}), n: map[string]int{}}
	newBase := mustRef(t, f.base+":latest")
	p := NewPrefetch(newBase, WithTransport(ct))
	p.Start(context.Background(), ts)
	if n := p.Wait(); n != len(f.apps) {
		t.Fatalf("prefetched %d of %d apps", n, len(f.apps))
	}
	ahead := appBlobs.Swap(0)
	if ahead == 0 {
		t.Fatal("the prefetch read no config")
	}
	ct.n = map[string]int{}

	rep, err := Fleet(context.Background(), newBase, ts, WithSBOM(false), WithInventory(f.store), WithJobs(4), WithPrefetch(p))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != len(f.apps) {
		t.Fatalf("rebased %d of %d: %+v", rep.Rebased, len(f.apps), rep)
	}
	for _, a := range f.apps {
		f.onNewBase(t, a)
	}
	n, what := ct.total()
	t.Logf("after a prefetch of %d configs: %d requests for %d apps; %s", ahead, n, len(f.apps), strings.Join(what, ", "))
	// Only the bases' configs are read during the fleet, none of the apps'.
	if got := appBlobs.Load(); got != 0 {
		t.Errorf("the fleet read %d blobs of the apps after the prefetch, want none", got)
	}
	if got := ct.n["GET manifests"]; got < len(f.apps) {
		t.Errorf("the fleet read %d manifests, want at least one per app tag (%d): tags must be read again", got, len(f.apps))
	}
}

// TestPrefetchFromInventory: the apps were ingested, so the inventory holds
// their manifests and configs; the prefetch takes them from there and
// asks the registry nothing, and the fleet reads only the apps' tags and
// the bases.
func TestPrefetchFromInventory(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 4)
	ts := f.targets(t)
	var appReads atomic.Int64 // reads by digest in the apps' repositories
	ct := &countingTransport{next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.Contains(r.URL.Path, "/sha256:") && !strings.HasPrefix(r.URL.Path, "/v2/golden/base/") &&
			(r.Method == http.MethodGet || r.Method == http.MethodHead) {
			appReads.Add(1)
		}
		return http.DefaultTransport.RoundTrip(r)
	}), n: map[string]int{}}
	newBase := mustRef(t, f.base+":latest")
	p := NewPrefetch(newBase, WithTransport(ct), WithInventory(f.store))
	p.Start(context.Background(), ts)
	if n := p.Wait(); n != len(f.apps) {
		t.Fatalf("prefetched %d of %d apps", n, len(f.apps))
	}
	if n, what := ct.total(); n != 0 {
		t.Errorf("the prefetch asked the registry %d times (%s), want none: the inventory holds the apps' documents", n, strings.Join(what, ", "))
	}

	rep, err := Fleet(context.Background(), newBase, ts, WithSBOM(false), WithInventory(f.store), WithJobs(4), WithPrefetch(p))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != len(f.apps) {
		t.Fatalf("rebased %d of %d: %+v", rep.Rebased, len(f.apps), rep)
	}
	for _, a := range f.apps {
		f.onNewBase(t, a)
	}
	if got := appReads.Load(); got != 0 {
		t.Errorf("the fleet read %d documents of the apps by digest, want none", got)
	}
	if got := ct.n["GET manifests"]; got < len(f.apps) {
		t.Errorf("the fleet read %d manifests, want at least one per app tag (%d): tags must be read again", got, len(f.apps))
	}

	// The fleet recorded what it wrote: a second update of the same apps
	// would find the rebased images' documents in the inventory too.
	var written []string
	for _, r := range rep.Results {
		written = append(written, r.NewDigest)
	}
	docs, err := f.store.Documents(context.Background(), written)
	if err != nil || len(docs) != len(written) {
		t.Errorf("the inventory holds %d of the %d rebased manifests (%v)", len(docs), len(written), err)
	}
}
