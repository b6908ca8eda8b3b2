package update

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/ref"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// writeLog is a transport that records the registry writes (anything but
// GET and HEAD) by path and, while deny is set, answers 403 to manifest
// PUTs under that path prefix, as a registry refusing one repository would.
type writeLog struct {
	mu     sync.Mutex
	writes []string
	deny   string // "/v2/apps/app00/manifests/"
}

func (w *writeLog) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return http.DefaultTransport.RoundTrip(r)
	}
	w.mu.Lock()
	w.writes = append(w.writes, r.Method+" "+r.URL.Path)
	deny := w.deny != "" && r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, w.deny)
	w.mu.Unlock()
	if deny {
		if r.Body != nil {
			r.Body.Close()
		}
		body := `{"errors":[{"code":"DENIED","message":"injected: manifest writes refused"}]}`
		return &http.Response{StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

// to returns the writes recorded under the repository path prefix
// ("/v2/apps/worker/").
func (w *writeLog) to(prefix string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, s := range w.writes {
		if strings.Contains(s, " "+prefix) {
			out = append(out, s)
		}
	}
	return out
}

func (w *writeLog) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.writes)
}

// appOnApp builds image appName on app, an image built on the golden base,
// as a Dockerfile FROM app would with ingot's lineage: every layer of app
// marked base, then one layer of its own, app's config with its own
// entrypoint and one Env key added.
func appOnApp(t testing.TB, app v1.Image, appRef, appName string) v1.Image {
	t.Helper()
	cf, err := app.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(app)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := app.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var layers []image.LayerInfo
	for i, l := range ls {
		r := lin.Layers[i]
		layers = append(layers, image.LayerInfo{Layer: l, Name: r.Name, Owner: r.Owner, Packages: r.Packages, Base: true})
	}
	layers = append(layers, image.LayerInfo{
		Layer: imagetest.FilesLayer(t, map[string]string{"app/" + appName: "#!/bin/sh\necho " + appName + "\n"}),
		Name:  "app", Owner: appName + " <" + appName + "@example.org>",
	})
	d, err := app.Digest()
	if err != nil {
		t.Fatal(err)
	}
	p := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
	img, err := image.Assemble(p, layers, image.Config{
		User: cf.Config.User, Env: append(slices.Clone(cf.Config.Env), "ROLE="+appName),
		Entrypoint: []string{"/app/" + appName},
	}, epochApp, image.Annotations{Title: appName, Vendor: appName, BaseName: appRef, BaseDigest: d.String()})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// chain is a fleet of one app (app00, amd64 and arm64) on the golden base
// and an image built FROM it, host/apps/worker:1, both in the inventory;
// build 2 of the base is pushed.
type chain struct {
	*fleet
	app, worker string
}

func newChain(t *testing.T) *chain {
	t.Helper()
	c := &chain{fleet: newFleet(t, 1)}
	c.app, c.worker = c.apps[0], c.host+"/apps/worker:1"
	appIdx, err := remote.Index(mustRef(t, c.app))
	if err != nil {
		t.Fatal(err)
	}
	im, err := appIdx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var imgs []v1.Image
	for _, d := range im.Manifests {
		a, err := appIdx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, appOnApp(t, a, c.app, "worker"))
	}
	idx, err := image.Index(imgs, image.Annotations{Title: "worker", Vendor: "worker", BaseName: c.app})
	if err != nil {
		t.Fatal(err)
	}
	push(t, c.worker, idx)
	ingest(t, c.store, c.worker)
	return c
}

// checkWorkerOnApp checks that every platform of the worker is built on
// the app's current build: its bottom layers are exactly the app's, its
// own layer and config are kept, and its lineage names the app's build.
func (c *chain) checkWorkerOnApp(t *testing.T, ownLayer map[string]v1.Hash) {
	t.Helper()
	appIdx := c.onNewBase(t, c.app)
	workerIdx, err := remote.Index(mustRef(t, c.worker))
	if err != nil {
		t.Fatal(err)
	}
	im, err := workerIdx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		w, err := workerIdx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		a, err := image.SelectImage(appIdx, *d.Platform)
		if err != nil {
			t.Fatal(err)
		}
		ad, _ := a.Digest()
		acf, _ := a.ConfigFile()
		wcf, err := w.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		p := d.Platform.String()
		n := len(acf.RootFS.DiffIDs)
		if len(wcf.RootFS.DiffIDs) != n+1 || !slices.Equal(wcf.RootFS.DiffIDs[:n], acf.RootFS.DiffIDs) {
			t.Errorf("%s: worker layers %v, want the app's new layers %v and one more", p, wcf.RootFS.DiffIDs, acf.RootFS.DiffIDs)
			continue
		}
		if got := wcf.RootFS.DiffIDs[n]; got != ownLayer[p] {
			t.Errorf("%s: worker's own layer is %s, want %s kept", p, got, ownLayer[p])
		}
		if !slices.Equal(wcf.Config.Entrypoint, []string{"/app/worker"}) || !slices.Contains(wcf.Config.Env, "ROLE=worker") ||
			!slices.Contains(wcf.Config.Env, "APP=app00") || !slices.Contains(wcf.Config.Env, "BASE_BUILD=2") {
			t.Errorf("%s: worker config entrypoint %v env %v, want its own entrypoint and ROLE, the app's APP, build 2's BASE_BUILD",
				p, wcf.Config.Entrypoint, wcf.Config.Env)
		}
		lin, err := image.ReadLineage(w)
		if err != nil {
			t.Fatal(err)
		}
		if lin.BaseDigest != ad.String() || !strings.HasPrefix(lin.BaseName, c.app) {
			t.Errorf("%s: worker lineage names %s@%s, want %s at %s", p, lin.BaseName, lin.BaseDigest, c.app, ad)
		}
	}
}

// ownLayers returns the worker's own (top) layer per platform.
func (c *chain) ownLayers(t *testing.T) map[string]v1.Hash {
	t.Helper()
	idx, err := remote.Index(mustRef(t, c.worker))
	if err != nil {
		t.Fatal(err)
	}
	im, _ := idx.IndexManifest()
	out := map[string]v1.Hash{}
	for _, d := range im.Manifests {
		img, _ := idx.Image(d.Digest)
		cf, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		out[d.Platform.String()] = cf.RootFS.DiffIDs[len(cf.RootFS.DiffIDs)-1]
	}
	return out
}

func statuses(rep *Report) map[string]Result {
	out := map[string]Result{}
	for _, r := range rep.Results {
		out[r.Image] = r
	}
	return out
}

func TestFleetImagesOnImages(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	own := c.ownLayers(t)
	ts := c.targets(t)
	if len(ts) != 2 || ts[0].Image != c.app || ts[0].Depth != 1 || ts[1].Image != c.worker || ts[1].Depth != 2 || ts[1].Base != c.app {
		t.Fatalf("targets = %+v, want the app (depth 1) then the worker on it (depth 2)", ts)
	}
	wl := &writeLog{}
	newBase := mustRef(t, c.base+":latest")

	rep, err := Fleet(ctx, newBase, ts, WithDryRun(true), WithTransport(wl))
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(rep); got[c.app].Status != Planned || got[c.worker].Status != Planned || got[c.worker].Reason != "after its base "+c.app {
		t.Errorf("dry run = %+v, want both planned, the worker after the app", rep.Results)
	}
	if n := wl.count(); n != 0 {
		t.Errorf("the dry run wrote: %v", wl.writes)
	}

	rep, err = Fleet(ctx, newBase, ts, WithInventory(c.store), WithTransport(wl))
	if err != nil {
		t.Fatalf("%v: %+v", err, rep.Results)
	}
	got := statuses(rep)
	app, worker := got[c.app], got[c.worker]
	if app.Status != Rebased || worker.Status != Rebased || rep.Rebased != 2 {
		t.Fatalf("report = %+v", rep.Results)
	}
	if worker.Depth != 2 || worker.Base != c.app || worker.BaseDigest != app.NewDigest {
		t.Errorf("worker result = %+v, want depth 2 on %s at its new %s", worker, c.app, app.NewDigest)
	}
	if rep.Results[0].Image != c.app {
		t.Errorf("results not ordered by depth: %+v", rep.Results)
	}
	c.checkWorkerOnApp(t, own)

	// The inventory has both moves: the next Targets finds both on the new
	// base, and the worker's new build on the app's.
	ts2 := c.targets(t)
	for _, tg := range ts2 {
		if ref.HasTag(tg.Image) && tg.Skip != SkipOnNewBase {
			t.Errorf("after the fleet, target %+v, want it on the new base", tg)
		}
		if tg.Image == c.worker && tg.Via != app.NewDigest {
			t.Errorf("the inventory has the worker on %s, want the app's new %s", tg.Via, app.NewDigest)
		}
	}
	// A rerun, from the inventory or from the stale targets, writes nothing.
	before := wl.count()
	for _, run := range [][]Target{ts2, ts} {
		rep, err = Fleet(ctx, newBase, run, WithInventory(c.store), WithTransport(wl))
		if err != nil || rep.Rebased != 0 || rep.Failed != 0 {
			t.Errorf("rerun = %+v, %v; want nothing to do", rep.Results, err)
		}
	}
	if got := statuses(rep); got[c.worker].Status != Unchanged || got[c.app].Status != Unchanged {
		t.Errorf("rerun with stale targets = %+v, want both unchanged", rep.Results)
	}
	rep, err = Fleet(ctx, newBase, ts, WithDryRun(true), WithTransport(wl))
	if got := statuses(rep); err != nil || got[c.worker].Status != Unchanged || got[c.app].Status != Unchanged {
		t.Errorf("dry run with stale targets = %+v, %v; want both unchanged", rep.Results, err)
	}
	if wl.count() != before {
		t.Errorf("the reruns wrote: %v", wl.writes[before:])
	}
	checkTags(t, c.host)
}

// TestFleetBaseFails: when the app cannot be rebased, the image on it is
// reported failed naming it and nothing of it is written; a rerun without
// the fault does both.
func TestFleetBaseFails(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	own := c.ownLayers(t)
	old, err := remote.Head(mustRef(t, c.worker))
	if err != nil {
		t.Fatal(err)
	}
	newBase := mustRef(t, c.base+":latest")
	wl := &writeLog{deny: "/v2/apps/app00/manifests/"}
	rep, err := Fleet(ctx, newBase, c.targets(t), WithInventory(c.store), WithTransport(wl),
		WithRemoteOptions(remote.WithRetryStatusCodes()))
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	got := statuses(rep)
	if got[c.app].Status != Failed || got[c.worker].Status != Failed || rep.Failed != 2 {
		t.Fatalf("report = %+v, want both failed", rep.Results)
	}
	if want := "its base " + c.app + " was not rebased; rerun"; got[c.worker].Error != want {
		t.Errorf("worker error = %q, want %q", got[c.worker].Error, want)
	}
	if w := wl.to("/v2/apps/worker/"); len(w) != 0 {
		t.Errorf("wrote to the worker's repository: %v", w)
	}
	if now, err := remote.Head(mustRef(t, c.worker)); err != nil || now.Digest != old.Digest {
		t.Errorf("worker tag at %v (%v), want it still at %s", now, err, old.Digest)
	}

	wl.deny = ""
	rep, err = Fleet(ctx, newBase, c.targets(t), WithInventory(c.store), WithTransport(wl))
	if err != nil || rep.Rebased != 2 {
		t.Fatalf("rerun = %+v, %v; want both rebased", rep.Results, err)
	}
	c.checkWorkerOnApp(t, own)
	checkTags(t, c.host)
}

// TestFleetResumesImagesOnImages: a fleet interrupted after the app moved
// and before the image on it did leaves the worker on an app build no tag
// names; the next run follows the app's tag (its history names that build)
// to the app's new build.
func TestFleetResumesImagesOnImages(t *testing.T) {
	ctx := context.Background()
	c := newChain(t)
	own := c.ownLayers(t)
	newBase := mustRef(t, c.base+":latest")
	ts := c.targets(t)
	// The interrupted run: only the first depth got done.
	rep, err := Fleet(ctx, newBase, ts[:1], WithInventory(c.store), WithSBOM(false))
	if err != nil || rep.Rebased != 1 {
		t.Fatalf("first run = %+v, %v", rep.Results, err)
	}
	appNew := rep.Results[0].NewDigest

	ts = c.targets(t)
	var worker Target
	for _, tg := range ts {
		if tg.Image == c.worker {
			worker = tg
		}
	}
	if worker.Depth != 2 || worker.Skip != "" || worker.Via == appNew {
		t.Fatalf("worker target = %+v, want it still on the app's old build", worker)
	}
	rep, err = Fleet(ctx, newBase, ts, WithInventory(c.store), WithSBOM(false))
	if err != nil {
		t.Fatalf("%v: %+v", err, rep.Results)
	}
	got := statuses(rep)
	if got[c.app].Status != Skipped || got[c.worker].Status != Rebased || got[c.worker].BaseDigest != appNew {
		t.Errorf("second run = %+v, want the app skipped and the worker rebased onto %s", rep.Results, appNew)
	}
	c.checkWorkerOnApp(t, own)

	// Without the tag's history (another inventory), the worker is not
	// moved on a guess.
	other := openStore(t)
	rep, _ = Fleet(ctx, newBase, []Target{
		{Image: c.app, OldDigest: appNew, Depth: 1, Skip: SkipOnNewBase},
		{Image: c.worker, OldDigest: worker.OldDigest, Depth: 2, Base: c.app, Via: worker.Via},
	}, WithInventory(other), WithDryRun(true))
	if r := statuses(rep)[c.worker]; r.Status != Skipped || !strings.Contains(r.Reason, "rebase it with ingot rebase --onto") {
		t.Errorf("without the tag history: %+v, want skipped with the reason", r)
	}
}
