package app

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/image"
)

// TestBuildOnForeignBase builds on a base ingot did not build (no lineage,
// no index: a single image): its layers are recorded as base layers with
// generated names.
func TestBuildOnForeignBase(t *testing.T) {
	ingotBase := testBase(t, "nonroot", "amd64")
	m, _ := ingotBase.Index.IndexManifest()
	img, err := ingotBase.Index.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	delete(cf.Config.Labels, image.LabelLineage)
	cf.RootFS.DiffIDs = nil
	layers, _ := img.Layers()
	foreign, err := mutate.ConfigFile(empty.Image, cf)
	if err != nil {
		t.Fatal(err)
	}
	if foreign, err = mutate.AppendLayers(foreign, layers...); err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: foreign})
	if _, err := image.ReadLineage(foreign); err == nil {
		t.Fatal("the foreign base still has a lineage")
	}

	res, err := Build(t.Context(), writeTree(t, map[string]string{"fake.txt": ""}), &BaseIndex{Name: "gcr.io/distroless/static", Index: idx}, WithBuilders(&fake{name: "fake"}))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range res.Images[0].Layers {
		names = append(names, l.Name)
		if l.Base != (l.Name != "app") {
			t.Errorf("layer %s base=%v", l.Name, l.Base)
		}
	}
	if len(names) != 3 || names[0] != "base-0" || names[1] != "base-1" || names[2] != "app" {
		t.Errorf("layers %q", names)
	}
	if res.Images[0].Platform != "linux/amd64" || res.Images[0].User != "nonroot" {
		t.Errorf("image %+v", res.Images[0])
	}
}
