package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
)

// init keeps the builds of this package's tests out of the user's
// inventory: builds record into the default one unless told otherwise.
func init() {
	if os.Getenv(inventory.EnvDB) == "" && os.Getenv(inventory.EnvDataDir) == "" {
		os.Setenv(inventory.EnvDataDir, filepath.Join(os.TempDir(), "ingot-build-test-inventory"))
	}
}

// TestGoldenInventory builds and pushes the fixture (SBOMs attached) with
// WithInventory, checks what the build recorded, then syncs the registry
// into a fresh store: the real ingot-built image comes from its attached
// SBOM, and both stores say the same.
func TestGoldenInventory(t *testing.T) {
	host := testenv.StartRegistry(t)
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec)
	built, err := inventory.Open(t.Context(), filepath.Join(t.TempDir(), "built.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer built.Close()
	ref := host + "/golden/base:1"
	res, err := golden(t, s, WithPush(), WithTag(ref), WithInsecure(true), WithInventory(built))
	if err != nil {
		t.Fatal(err)
	}
	repo := host + "/golden/base"

	ds, err := built.Show(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("the build recorded %d images of %s, want amd64 and arm64", len(ds), ref)
	}
	for _, d := range ds {
		im := d.Image
		if im.IndexDigest != res.IndexDigest || !slices.Equal(im.Tags, []string{"1"}) || im.Owner != "platform <platform@example.com>" {
			t.Errorf("%s: recorded %+v", im.Platform, im)
		}
		owners := map[string]string{}
		pkgs := 0
		for _, l := range d.Layers {
			owners[l.Name] = l.Owner
			pkgs += len(l.Packages)
		}
		if owners["tls"] != "security <security@example.com>" || owners["os"] != "platform <platform@example.com>" {
			t.Errorf("%s: layer owners %v", im.Platform, owners)
		}
		if pkgs != 7 { // the spec's five and their dependencies libgcc-s1 and openssl
			t.Errorf("%s: %d packages recorded, want 7", im.Platform, pkgs)
		}
	}
	// The index, manifests and configs are kept as pushed.
	desc, err := remote.Get(mustRef(t, repo+"@"+res.IndexDigest))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{res.IndexDigest}
	for _, img := range res.Images {
		want = append(want, img.Digest)
	}
	docs, err := built.Documents(t.Context(), want)
	if err != nil || len(docs) != len(want) || string(docs[res.IndexDigest].Body) != string(desc.Manifest) {
		t.Errorf("the build kept %d of the documents %v (%v), or not the index as pushed", len(docs), want, err)
	}
	hits, err := built.WhoHas(t.Context(), inventory.Query{Name: "openssl"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 4 {
		t.Errorf("who-has openssl: %d hits, want libssl3 and openssl in both images", len(hits))
	}
	for _, h := range hits {
		if h.Layer != "tls" || h.Owner != "security <security@example.com>" || h.Origin != inventory.OriginApp {
			t.Errorf("who-has openssl: %s in layer %s owned by %q (%s), want the tls layer of security", h.Package, h.Layer, h.Owner, h.Origin)
		}
	}

	synced, err := inventory.Open(t.Context(), filepath.Join(t.TempDir(), "synced.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer synced.Close()
	reg, _ := name.NewRegistry(host, name.Insecure)
	rep, err := synced.Sync(t.Context(), reg, "golden")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 0 || len(rep.Ingested) != 2 {
		t.Fatalf("sync: %+v", rep)
	}
	for _, a := range rep.Ingested {
		if a.From != inventory.FromSBOM || a.Packages != 7 {
			t.Errorf("%s: from %s with %d packages, want its attached SBOM's 7", a.Platform, a.From, a.Packages)
		}
	}
	a, _ := json.Marshal(ds)
	sd, err := synced.Show(t.Context(), repo+":1")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(sd); string(a) != string(b) {
		t.Errorf("the build recorded\n%s\nthe sync\n%s", a, b)
	}

	// A copy without SBOMs is added to a fresh store by inspecting it.
	cp, _ := name.ParseReference(host+"/copy/base:1", name.Insecure)
	if err := remote.WriteIndex(cp, res.Index, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	inspected, err := inventory.Open(t.Context(), filepath.Join(t.TempDir(), "inspected.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer inspected.Close()
	added, err := inspected.Add(t.Context(), cp)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 {
		t.Fatalf("added %+v, want two platforms", added)
	}
	for _, a := range added {
		if a.From != inventory.FromInspected || a.Packages != 7 || a.IndexDigest != res.IndexDigest {
			t.Errorf("%s: added from %s with %d packages in index %s, want inspected, 7 packages, %s", a.Platform, a.From, a.Packages, a.IndexDigest, res.IndexDigest)
		}
	}
	if again, err := inspected.Add(t.Context(), cp); err != nil || again[0].From != inventory.FromKnown {
		t.Errorf("adding again: %+v, %v; want known", again, err)
	}
	// A store that holds the image in another repository records the copy
	// without reading it.
	if other, err := synced.Add(t.Context(), cp); err != nil || other[0].From != inventory.FromOtherRepository || other[0].Packages != 7 {
		t.Errorf("adding the copy to the synced store: %+v, %v; want it from the other repository", other, err)
	}

	// Without the inventory, nothing is recorded.
	none, err := inventory.Open(t.Context(), filepath.Join(t.TempDir(), "none.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	if _, err := golden(t, s, WithInventory(none), WithoutInventory()); err != nil {
		t.Fatal(err)
	}
	if ims, err := none.List(t.Context(), inventory.Filter{}); err != nil || len(ims) != 0 {
		t.Errorf("WithoutInventory recorded %d images (%v)", len(ims), err)
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
