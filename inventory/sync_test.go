package inventory

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestSync syncs a real docker-registry into SQLite and PostgreSQL: random
// images, an index, an image with an attached SBOM; then reruns it (nothing
// changes), moves and deletes tags and syncs again.
func TestSync(t *testing.T) {
	host := testenv.StartRegistry(t)
	pgT, pgDSN = t, "" // a cluster of this test's own: TestStores' has stopped
	t.Cleanup(func() { pgDSN = "" })
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		prefix := "sync-" + s.Dialect()
		reg, err := name.NewRegistry(host, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		repo := func(r string) string { return host + "/" + prefix + "/" + r }
		d1 := pushImage(t, repo("plain")+":1", randomImage(t, 1))
		pushImage(t, repo("plain")+":same", randomImage(t, 1))
		d2 := pushImage(t, repo("plain")+":2", randomImage(t, 2))
		idx := pushIndex(t, repo("multi")+":latest", 3)
		sd, want := pushWithSBOM(t, repo("app")+":v1", 4)
		pushImage(t, host+"/elsewhere/x:1", randomImage(t, 5)) // outside the prefix

		rep, err := s.Sync(ctx, reg, prefix, WithJobs(3))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 0 {
			t.Fatalf("failures: %+v", rep.Failures)
		}
		if rep.Repositories != 3 || rep.Tags != 5 || rep.Images != 6 || len(rep.Ingested) != 5 || rep.Known != 1 {
			t.Errorf("report: %d repositories, %d tags, %d images, %d ingested, %d known; want 3, 5, 6, 5, 1",
				rep.Repositories, rep.Tags, rep.Images, len(rep.Ingested), rep.Known)
		}
		for _, a := range rep.Ingested {
			wantFrom := FromInspected
			if a.Digest == sd {
				wantFrom = FromSBOM
			}
			if a.From != wantFrom {
				t.Errorf("%s@%s came from %s, want %s", a.Repository, a.Digest, a.From, wantFrom)
			}
			if a.Repository == repo("multi") && a.IndexDigest != idx {
				t.Errorf("%s: index %s, want %s", a.Digest, a.IndexDigest, idx)
			}
		}

		// The attached SBOM's packages, layers, owners and base, without its stale tag.
		hits, err := s.WhoHas(ctx, Query{Name: "openssl"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Image.Digest != sd || hits[0].Origin != OriginBase || hits[0].Owner != "platform <platform@example.com>" || hits[0].Layer != "os" {
			t.Errorf("who-has openssl = %+v, want the SBOM image's base layer os", hits)
		}
		ds, err := s.Show(ctx, repo("app")+":v1")
		if err != nil {
			t.Fatal(err)
		}
		if im := ds[0].Image; im.Owner != want.Image.Owner || im.BaseDigest != want.Image.BaseDigest || !slices.Equal(im.Tags, []string{"v1"}) || im.Platform != "linux/amd64" {
			t.Errorf("app image = %+v", im)
		}
		tags, err := s.Tags(ctx, repo("plain"))
		if err != nil {
			t.Fatal(err)
		}
		if tags["1"] != d1 || tags["same"] != d1 || tags["2"] != d2 {
			t.Errorf("tags of plain = %v", tags)
		}
		if tags, _ := s.Tags(ctx, repo("multi")); tags["latest"] != idx {
			t.Errorf("tags of multi = %v, want latest at the index", tags)
		}

		// Rerunning changes nothing, and reads no image.
		before := dump(t, s, host+"/"+prefix)
		rep, err = s.Sync(ctx, reg, prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Ingested) != 0 || rep.Known != 6 || len(rep.Moved)+len(rep.Vanished)+len(rep.Failures) != 0 {
			t.Errorf("rerun: %+v", rep)
		}
		if after := dump(t, s, host+"/"+prefix); after != before {
			t.Errorf("rerun changed the store:\n%s\nwas\n%s", after, before)
		}

		// A tag moves, one vanishes (its manifest deleted), one repository's tag goes.
		d3 := pushImage(t, repo("plain")+":1", randomImage(t, 6))
		del, _ := name.NewDigest(repo("plain")+"@"+d2, name.Insecure)
		if err := remote.Delete(del, remote.WithContext(ctx)); err != nil {
			t.Fatal(err)
		}
		// An image copied to another repository is recorded without reading
		// a blob; a repository whose every tag was deleted loses its tags.
		pushImage(t, repo("copy")+":1", randomImage(t, 1))
		del, _ = name.NewDigest(repo("app")+"@"+sd, name.Insecure)
		if err := remote.Delete(del, remote.WithContext(ctx)); err != nil {
			t.Fatal(err)
		}
		rep, err = s.Sync(ctx, reg, prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) != 0 {
			t.Errorf("failures: %+v", rep.Failures)
		}
		if len(rep.Moved) != 1 || rep.Moved[0] != (TagChange{Repository: repo("plain"), Tag: "1", From: d1, To: d3}) {
			t.Errorf("moved = %+v", rep.Moved)
		}
		if want := []TagChange{{Repository: repo("app"), Tag: "v1", From: sd}, {Repository: repo("plain"), Tag: "2", From: d2}}; !slices.Equal(rep.Vanished, want) {
			t.Errorf("vanished = %+v, want %+v", rep.Vanished, want)
		}
		if len(rep.Ingested) != 2 || rep.Ingested[0].Digest != d1 || rep.Ingested[0].From != FromOtherRepository ||
			rep.Ingested[1].Digest != d3 || rep.Ingested[1].From != FromInspected {
			t.Errorf("ingested = %+v, want %s from plain and %s inspected", rep.Ingested, d1, d3)
		}
		cp, err := s.Show(ctx, repo("copy")+":1")
		if err != nil {
			t.Fatal(err)
		}
		orig, err := s.Show(ctx, repo("plain")+"@"+d1)
		if err != nil {
			t.Fatal(err)
		}
		if len(cp) != 1 || len(orig) != 1 || !reflect.DeepEqual(cp[0].Layers, orig[0].Layers) {
			t.Errorf("the copy holds %+v, the original %+v", cp, orig)
		}
		hist, err := s.TagHistory(ctx, repo("plain"), "2")
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Digest != d2 || hist[1].Digest != "" {
			t.Errorf("history of plain:2 = %+v", hist)
		}
		if hist, _ := s.TagHistory(ctx, repo("plain"), "1"); len(hist) != 2 || hist[0].Digest != d1 || hist[1].Digest != d3 {
			t.Errorf("history of plain:1 = %+v", hist)
		}
		if ims, err := s.Resolve(ctx, repo("plain")+"@"+d2); err != nil || len(ims) != 1 {
			t.Errorf("the image of the vanished tag is gone: %v, %v", ims, err)
		}
		before = dump(t, s, host+"/"+prefix)
		if rep, err = s.Sync(ctx, reg, prefix); err != nil || len(rep.Ingested)+len(rep.Moved)+len(rep.Vanished) != 0 {
			t.Errorf("rerun: %+v, %v", rep, err)
		}
		if after := dump(t, s, host+"/"+prefix); after != before {
			t.Errorf("rerun after the moves changed the store:\n%s\nwas\n%s", after, before)
		}
	})
}

// faultProxy forwards to the registry at host, failing every request for
// the repositories whose path contains one of fail's keys with its status.
func faultProxy(t *testing.T, host string, fail map[string]int) string {
	t.Helper()
	target, _ := url.Parse("http://" + host)
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, code := range fail {
			if strings.Contains(r.URL.Path, k) {
				http.Error(w, "injected failure", code)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// TestSyncFailures: a registry that fails some repositories (a server
// error, a refusal) still gets the others ingested, and reports them.
func TestSyncFailures(t *testing.T) {
	host := testenv.StartRegistry(t)
	for i, r := range []string{"ok1", "broken", "ok2", "denied"} {
		pushImage(t, host+"/faults/"+r+":1", randomImage(t, int64(100+i)))
	}
	proxy := faultProxy(t, host, map[string]int{"/faults/broken/": http.StatusInternalServerError, "/faults/denied/manifests/": http.StatusForbidden})
	s, err := Open(t.Context(), t.TempDir()+"/inventory.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reg, _ := name.NewRegistry(proxy, name.Insecure)
	rep, err := s.Sync(t.Context(), reg, "faults", WithJobs(2))
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range rep.Failures {
		failed = append(failed, strings.TrimPrefix(f.Repository, proxy+"/faults/"))
		if f.Error == "" {
			t.Errorf("failure of %s without its error", f.Repository)
		}
	}
	if !slices.Equal(failed, []string{"broken", "denied"}) {
		t.Errorf("failures = %+v, want broken and denied", rep.Failures)
	}
	var got []string
	for _, a := range rep.Ingested {
		got = append(got, strings.TrimPrefix(a.Repository, proxy+"/faults/"))
	}
	if !slices.Equal(got, []string{"ok1", "ok2"}) {
		t.Errorf("ingested %v, want ok1 and ok2", got)
	}
	images, err := s.List(t.Context(), Filter{})
	if err != nil || len(images) != 2 {
		t.Errorf("the store holds %d images (%v), want 2", len(images), err)
	}
}
