package update

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// fleet is a registry holding build 1 of a golden base, apps on it
// recorded in an inventory, and then build 2 of the base behind the same tag.
type fleet struct {
	host    string
	base    string // host/golden/base
	store   *inventory.Store
	apps    []string // host/apps/NAME:1
	old     v1.ImageIndex
	new     v1.ImageIndex
	current []string
}

func newFleet(t *testing.T, apps int) *fleet {
	t.Helper()
	testenv.RequireTool(t, "docker-registry")
	f := &fleet{host: testenv.StartRegistry(t), store: openStore(t)}
	f.base = f.host + "/golden/base"
	f.old = goldenIndex(t, 1, "amd64", "arm64")
	push(t, f.base+":latest", f.old)
	for i := range apps {
		n := fmt.Sprintf("app%02d", i)
		arches := []string{"amd64"}
		if i%3 == 0 {
			arches = append(arches, "arm64")
		}
		ref := f.host + "/apps/" + n + ":1"
		push(t, ref, appIndexOn(t, f.old, f.base+":latest", n, arches...))
		ingest(t, f.store, ref)
		f.apps = append(f.apps, ref)
	}
	f.new = goldenIndex(t, 2, "amd64", "arm64")
	push(t, f.base+":latest", f.new)
	f.current = digests(t, f.new)
	return f
}

func (f *fleet) targets(t *testing.T) []Target {
	t.Helper()
	ts, err := Targets(context.Background(), f.store, f.base, f.current)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// onNewBase checks that ref names an index whose every platform image is
// built on build 2 of the base, and returns it.
func (f *fleet) onNewBase(t *testing.T, ref string) v1.ImageIndex {
	t.Helper()
	idx, err := remote.Index(mustRef(t, ref))
	if err != nil {
		t.Fatalf("reading %s: %v", ref, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		lin, err := image.ReadLineage(img)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(f.current, lin.BaseDigest) {
			t.Errorf("%s (%s) is on base %s, want build 2 (%v)", ref, d.Platform, lin.BaseDigest, f.current)
		}
	}
	return idx
}

func mustRef(t testing.TB, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFleetRegistry(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 4)
	ts := f.targets(t)
	if len(ts) != len(f.apps) {
		t.Fatalf("targets = %+v, want the %d apps", ts, len(f.apps))
	}
	logPath := testenv.RegistryLog(t, f.host)
	var appLayers []v1.Hash
	for _, a := range f.apps {
		idx, err := remote.Index(mustRef(t, a))
		if err != nil {
			t.Fatal(err)
		}
		im, _ := idx.IndexManifest()
		for _, d := range im.Manifests {
			img, _ := idx.Image(d.Digest)
			ls, _ := img.Layers()
			top, _ := ls[len(ls)-1].Digest()
			appLayers = append(appLayers, top)
		}
	}
	for _, l := range appLayers {
		if countUploads(t, logPath, l) != 1 {
			t.Fatalf("app layer %s was not uploaded by the setup: the log check cannot see uploads", l)
		}
	}
	before := testenv.BlobUploads(t, f.host)

	for i := range ts {
		ts[i].CVEs = []string{"CVE-2024-0001"}
	}
	// Dry run: plans, writes nothing.
	rep, err := Fleet(ctx, mustRef(t, f.base+":latest"), ts, WithDryRun(true), WithInventory(f.store))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Planned != len(f.apps) || rep.Rebased != 0 {
		t.Fatalf("dry run = %+v", rep)
	}
	if n := testenv.BlobUploads(t, f.host); n != before {
		t.Errorf("dry run uploaded %d blobs", n-before)
	}

	var seen []string
	rep, err = Fleet(ctx, mustRef(t, f.base+":latest"), ts,
		WithInventory(f.store), WithJobs(3), WithProgress(func(r Result) { seen = append(seen, r.Image) }))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != len(f.apps) || rep.Failed != 0 || len(seen) != len(f.apps) {
		t.Fatalf("report = %+v, progress %v", rep, seen)
	}
	for _, r := range rep.Results {
		if r.NewDigest == r.OldDigest || !slices.Equal(r.CVEs, []string{"CVE-2024-0001"}) {
			t.Errorf("result %+v", r)
		}
		idx := f.onNewBase(t, r.Image)
		if d, _ := idx.Digest(); d.String() != r.NewDigest {
			t.Errorf("%s points at %s, report says %s", r.Image, d, r.NewDigest)
		}
		// The attached SBOM lists the new libssl3.
		img, err := remote.Image(mustRef(t, r.Image))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sbom.FromImage(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(doc.Packages, func(p sbom.Package) bool { return p.Name == "libssl3" && p.Version == sslVersion[2] }) {
			t.Errorf("%s: packages %+v lack libssl3 %s", r.Image, doc.Packages, sslVersion[2])
		}
	}
	for _, l := range appLayers {
		if n := countUploads(t, logPath, l); n != 1 {
			t.Errorf("app layer %s uploaded %d times, want once (by the setup)", l, n)
		}
	}

	// A rerun finds nothing to do: the inventory knows the tags moved.
	ts2 := f.targets(t)
	rep, err = Fleet(ctx, mustRef(t, f.base+":latest"), ts2, WithInventory(f.store))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != 0 || rep.Failed != 0 || rep.Skipped != len(ts2) {
		t.Errorf("rerun = %+v, want everything skipped", rep)
	}
	// Without the inventory's knowledge (the old targets), the registry's
	// images are found already on the new base.
	rep, err = Fleet(ctx, mustRef(t, f.base+":latest"), ts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != len(f.apps) {
		t.Errorf("rerun with stale targets = %+v, want every image unchanged", rep)
	}
	checkTags(t, f.host)
}

func TestFleetReportsFailures(t *testing.T) {
	ctx := context.Background()
	f := newFleet(t, 2)
	missing := f.host + "/apps/gone:1"
	ts := append(f.targets(t), Target{Image: missing}, Target{Image: f.host + "/apps/old@sha256:" + fmt.Sprintf("%064d", 0), Skip: SkipNoTag})
	// Without SBOMs, the rebased images are recorded from the inventory.
	rep, err := Fleet(ctx, mustRef(t, f.base+":latest"), ts, WithSBOM(false), WithInventory(f.store))
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	want := map[string]string{f.apps[0]: Rebased, f.apps[1]: Rebased, missing: Failed, ts[3].Image: Skipped}
	for _, r := range rep.Results {
		if want[r.Image] != r.Status {
			t.Errorf("%s: %s (%s), want %s", r.Image, r.Status, r.Error, want[r.Image])
		}
	}
	if rep.Rebased != 2 || rep.Failed != 1 || rep.Skipped != 1 {
		t.Errorf("report = %+v", rep)
	}
	hits, err := f.store.WhoHas(ctx, inventory.Query{Name: "libssl3"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Status != Rebased {
			continue
		}
		if !slices.ContainsFunc(hits, func(h inventory.Hit) bool {
			return h.Image.Digest == r.Changes[0].NewDigest && h.Version == sslVersion[2] && h.Origin == inventory.OriginBase
		}) {
			t.Errorf("the inventory does not record libssl3 %s in %s (%s): %+v", sslVersion[2], r.Image, r.Changes[0].NewDigest, hits)
		}
	}
	for _, tg := range f.targets(t) {
		if slices.Contains(f.apps, tg.Image) && tg.Skip != SkipOnNewBase {
			t.Errorf("after the rebase, target %+v, want it skipped as on the new base", tg)
		}
	}
}
