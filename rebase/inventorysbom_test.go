package rebase

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

func TestInventorySBOM(t *testing.T) {
	ctx := context.Background()
	store, err := inventory.Open(ctx, filepath.Join(t.TempDir(), "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	v1b := golden(t, "base", "amd64", 1)
	app := appOn(t, v1b, "reg.test/golden/base:1", "amd64")
	get := InventorySBOM(store)

	inspected, err := get(ctx, "reg.test/apps/web", app) // not in the store: inspected
	if err != nil {
		t.Fatal(err)
	}
	if len(inspected.Packages) != 2 || len(inspected.Image.Layers) != 3 {
		t.Fatalf("inspected = %+v", inspected)
	}
	if err := store.PutImage(ctx, inspected, inventory.ImageRef{Repository: "reg.test/apps/web"}); err != nil {
		t.Fatal(err)
	}
	stored, err := get(ctx, "reg.test/apps/web", app)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Image.Layers) != 3 || stored.Image.Layers[2].DiffID != inspected.Image.Layers[2].DiffID || stored.Image.Digest != inspected.Image.Digest {
		t.Errorf("stored layers = %+v", stored.Image.Layers)
	}
	byName := map[string]sbom.Package{}
	for _, p := range stored.Packages {
		byName[p.Name] = p
	}
	if p := byName["libssl3"]; p.Version != "3.0.11-1~deb12u1" || p.Layer != 0 || p.PURL == "" {
		t.Errorf("libssl3 from the store = %+v", p)
	}
	if len(inspected.Packages[0].Locations) == 0 || len(byName["libssl3"].Locations) != 0 {
		t.Error("the second document was not read from the store (the store keeps no locations)")
	}
	if len(stored.Packages) != len(inspected.Packages) {
		t.Errorf("%d packages from the store, %d inspected", len(stored.Packages), len(inspected.Packages))
	}
}
