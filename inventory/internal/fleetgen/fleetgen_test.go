package fleetgen

import (
	"reflect"
	"testing"
)

func TestDeterministic(t *testing.T) {
	cfg := Config{Images: 10, Bases: 4, Families: 2, BasePackages: 20, AppPackages: 5, Seed: 7}
	a, b := New(cfg), New(cfg)
	for i := range cfg.Images {
		da, db := a.Image(i), b.Image(i)
		if !reflect.DeepEqual(da, db) {
			t.Fatalf("image %d differs between two generations", i)
		}
		if len(da.Packages) != 25 {
			t.Errorf("image %d has %d packages, want 25", i, len(da.Packages))
		}
		if da.Image.BaseDigest != a.Bases()[i%4].Image.Digest || !da.Image.Layers[0].Base {
			t.Errorf("image %d is not built on base %d", i, i%4)
		}
	}
	if a.Image(0).Image.Digest == a.Image(1).Image.Digest {
		t.Error("two images share a digest")
	}
}
