package static

import (
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
)

// fakeBase is a one-platform base made of layers of entries, with an
// entrypoint: for the hermetic tests of what the builder reads from a base.
// Each layer applies over the previous ones, whiteouts included.
func fakeBase(t *testing.T, name string, entrypoint []string, layers ...[]layer.Entry) *app.BaseIndex {
	t.Helper()
	img := empty.Image
	var diffIDs []v1.Hash
	for _, entries := range layers {
		l, err := app.EncodeLayer(entries, time.Unix(1700000000, 0))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
		d, _ := l.DiffID()
		diffIDs = append(diffIDs, d)
	}
	img, err := mutate.ConfigFile(img, &v1.ConfigFile{Architecture: "amd64", OS: "linux",
		Config: v1.Config{User: "65532:65532", Entrypoint: entrypoint}, RootFS: v1.RootFS{Type: "layers", DiffIDs: diffIDs}})
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	return &app.BaseIndex{Name: name, Index: idx}
}
