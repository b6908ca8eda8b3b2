package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
)

// faultProxy forwards to a registry and answers 503 to about one request
// in ten while on. Which requests fail is decided by a hash of a seed, the
// request and how often it was seen, so it does not depend on timing.
type faultProxy struct {
	host   string
	on     atomic.Bool
	failed atomic.Int64
	mu     sync.Mutex
	seen   map[string]int
}

func startFaultProxy(t *testing.T, registry string, seed uint64) *faultProxy {
	t.Helper()
	target, _ := url.Parse("http://" + registry)
	rp := httputil.NewSingleHostReverseProxy(target)
	p := &faultProxy{seen: map[string]int{}}
	p.on.Store(true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.host = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.Path
		p.mu.Lock()
		p.seen[key]++
		n := p.seen[key]
		p.mu.Unlock()
		h := fnv.New64a()
		fmt.Fprintf(h, "%d %s %d", seed, key, n)
		if p.on.Load() && h.Sum64()%10 == 0 {
			p.failed.Add(1)
			http.Error(w, `{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}`, http.StatusServiceUnavailable)
			return
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return p
}

func TestFleetFaults(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 12)
	p := startFaultProxy(t, f.host, 1)
	via := func(ref string) string { return strings.Replace(ref, f.host, p.host, 1) }
	var ts []Target
	for _, tg := range f.targets(t) {
		tg.Image = via(tg.Image)
		ts = append(ts, tg)
	}
	newBase := mustRef(t, via(f.base+":latest"))
	// No retries, by go-containerregistry's reads nor by rebase's writer:
	// every injected fault reaches the fleet.
	noRetry := WithRetries(0)

	rep, err := Fleet(ctx, newBase, ts, noRetry, WithJobs(4))
	if !errors.Is(err, ErrIncomplete) || rep.Failed == 0 {
		t.Fatalf("with %d injected faults: err = %v, report %+v; want some images failed", p.failed.Load(), err, rep)
	}
	if rep.Rebased+rep.Failed != len(ts) {
		t.Fatalf("report = %+v, want every image rebased or failed", rep)
	}
	t.Logf("first run: %d rebased, %d failed, %d faults injected", rep.Rebased, rep.Failed, p.failed.Load())
	// The report is exact: failed images still name their old image, done
	// ones the new.
	for _, r := range rep.Results {
		got, err := remote.Head(mustRef(t, strings.Replace(r.Image, p.host, f.host, 1)))
		if err != nil {
			t.Fatal(err)
		}
		switch r.Status {
		case Failed:
			if r.Error == "" || got.Digest.String() != r.OldDigest {
				t.Errorf("failed %s: error %q, tag at %s, want the old %s", r.Image, r.Error, got.Digest, r.OldDigest)
			}
		case Rebased:
			if got.Digest.String() != r.NewDigest {
				t.Errorf("rebased %s: tag at %s, want %s", r.Image, got.Digest, r.NewDigest)
			}
		}
	}
	checkTags(t, f.host)

	// Reruns under faults never undo progress: the tags already moved stay
	// on the new base.
	done := f.movedCount(t)
	for range 2 {
		rep, _ = Fleet(ctx, newBase, ts, noRetry, WithJobs(4))
		checkTags(t, f.host)
		n := f.movedCount(t)
		if n < done {
			t.Errorf("rerun went back: %d tags on the new base, %d before (%+v)", n, done, rep)
		}
		done = n
	}
	p.on.Store(false)
	rep, err = Fleet(ctx, newBase, ts, noRetry)
	if err != nil {
		t.Fatalf("final rerun: %v (%+v)", err, rep)
	}
	if rep.Rebased+rep.Unchanged != len(ts) || rep.Unchanged < done {
		t.Errorf("final rerun = %+v, want the %d done before unchanged", rep, done)
	}
	for _, a := range f.apps {
		f.onNewBase(t, a)
	}
	checkTags(t, f.host)
}

// movedCount counts the apps whose tag names an image on the new base.
func (f *fleet) movedCount(t *testing.T) int {
	t.Helper()
	n := 0
	for _, a := range f.apps {
		img, err := remote.Image(mustRef(t, a))
		if err != nil {
			t.Fatal(err)
		}
		lin, err := image.ReadLineage(img)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(f.current, lin.BaseDigest) {
			n++
		}
	}
	return n
}

// checkTags fails t if any tag of any repository of the registry on host
// names a manifest that is missing or refers to a missing blob or manifest.
func checkTags(t *testing.T, host string) {
	t.Helper()
	reg, err := name.NewRegistry(host)
	if err != nil {
		t.Fatal(err)
	}
	repos, err := remote.Catalog(context.Background(), reg)
	if err != nil {
		t.Fatalf("listing repositories: %v", err)
	}
	n := 0
	for _, r := range repos {
		repo := reg.Repo(r)
		tags, err := remote.List(repo)
		if err != nil {
			t.Fatalf("listing tags of %s: %v", repo, err)
		}
		for _, tag := range tags {
			checkManifest(t, repo, repo.Tag(tag))
			n++
		}
	}
	if n == 0 {
		t.Fatal("no tags in the registry")
	}
}

func checkManifest(t *testing.T, repo name.Repository, ref name.Reference) {
	t.Helper()
	desc, err := remote.Get(ref)
	if err != nil {
		t.Errorf("%s does not resolve: %v", ref, err)
		return
	}
	if desc.MediaType.IsIndex() {
		var im v1.IndexManifest
		if err := json.Unmarshal(desc.Manifest, &im); err != nil {
			t.Fatal(err)
		}
		for _, m := range im.Manifests {
			checkManifest(t, repo, repo.Digest(m.Digest.String()))
		}
		return
	}
	var m v1.Manifest
	if err := json.Unmarshal(desc.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	for _, d := range append([]v1.Descriptor{m.Config}, m.Layers...) {
		if d.Size == 2 && d.Digest.Hex == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" {
			continue // the empty config of artifacts may be inlined
		}
		resp, err := http.Head("http://" + repo.RegistryStr() + "/v2/" + repo.RepositoryStr() + "/blobs/" + d.Digest.String())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: blob %s is missing (%s)", ref, d.Digest, resp.Status)
		}
	}
}
