package rebase

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// TestDescribedLayer: stacking an image's layers again as describedLayers
// (their descriptors and diffIDs taken from its manifest and config) gives
// the same image, the media type and URLs of a non-distributable layer and
// annotations included, as a registry's layers, whose descriptors are the
// manifest's, do.
func TestDescribedLayer(t *testing.T) {
	src, err := random.Image(256, 3)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := src.Layers()
	if err != nil {
		t.Fatal(err)
	}
	adds := []mutate.Addendum{
		{Layer: ls[0], Annotations: map[string]string{"org.example.layer": "os"}},
		{Layer: ls[1], MediaType: types.DockerForeignLayer, URLs: []string{"https://layers.example/1"}},
		{Layer: ls[2]},
	}
	orig, err := mutate.Append(empty.Image, adds...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := orig.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := orig.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	layers, err := orig.Layers()
	if err != nil {
		t.Fatal(err)
	}
	desc := make([]mutate.Addendum, len(layers))
	for i, l := range layers {
		desc[i] = mutate.Addendum{Layer: described(l, m, cf, i), Annotations: m.Layers[i].Annotations}
		if _, ok := desc[i].Layer.(describedLayer); !ok {
			t.Fatalf("layer %d was not described", i)
		}
	}
	digestOf := func(adds []mutate.Addendum) v1.Hash {
		t.Helper()
		img, err := mutate.Append(empty.Image, adds...)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	want, err := orig.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if got := digestOf(desc); got != want {
		t.Errorf("described layers give %s, want the image's own %s", got, want)
	}
	// A manifest and config that disagree: the layer is left as it is.
	short := *cf
	short.RootFS.DiffIDs = cf.RootFS.DiffIDs[:1]
	if _, ok := described(layers[2], m, &short, 2).(describedLayer); ok {
		t.Error("a layer was described from a config that lacks it")
	}
}
