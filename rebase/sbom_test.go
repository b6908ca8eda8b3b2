package rebase

import (
	"testing"

	"github.com/ingot-dev/ingot/sbom"
)

func TestSBOM(t *testing.T) {
	app := &sbom.Document{
		Image: sbom.Image{Name: "reg.test/apps/web", Digest: "sha256:old", Owner: "web", Distro: "debian-12",
			Layers: []sbom.Layer{{DiffID: "sha256:b0", Base: true}, {DiffID: "sha256:b1", Base: true}, {DiffID: "sha256:a0", Name: "app", Owner: "web"}}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.11", Layer: 0},
			{Ecosystem: sbom.Golang, Name: "example.org/web", Version: "v1.0.0", Layer: 2},
			{Ecosystem: sbom.Deb, Name: "base-files", Version: "12.4", Layer: -1},
			{Ecosystem: sbom.Npm, Name: "left-pad", Version: "1.3.0", Layer: -1},
		},
	}
	base := &sbom.Document{
		Image: sbom.Image{Name: "reg.test/golden/base", Digest: "sha256:nb", Distro: "debian-12",
			Layers: []sbom.Layer{{DiffID: "sha256:n0", Name: "os"}, {DiffID: "sha256:n1"}, {DiffID: "sha256:n2"}}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.15", Layer: 0},
			{Ecosystem: sbom.Deb, Name: "base-files", Version: "12.5", Layer: 0},
		},
	}
	ch := &Change{Platform: "linux/amd64", NewDigest: "sha256:new", Created: "2024-03-09T16:00:00Z", AppLayers: 1,
		OldBase: BaseInfo{Layers: 2}, NewBase: BaseInfo{Name: "reg.test/golden/base:2", Digest: "sha256:nb", Layers: 3}}
	d, err := SBOM(app, base, ch)
	if err != nil {
		t.Fatal(err)
	}
	if d.Image.Digest != "sha256:new" || d.Image.Name != "reg.test/apps/web" || d.Image.BaseDigest != "sha256:nb" || d.Image.Created.IsZero() {
		t.Errorf("image = %+v", d.Image)
	}
	if len(d.Image.Layers) != 4 || !d.Image.Layers[2].Base || d.Image.Layers[3].DiffID != "sha256:a0" || d.Image.Layers[3].Base {
		t.Errorf("layers = %+v", d.Image.Layers)
	}
	got := map[string]sbom.Package{}
	for _, p := range d.Packages {
		if _, dup := got[p.Name]; dup {
			t.Errorf("%s listed twice", p.Name)
		}
		got[p.Name] = p
	}
	if p := got["libssl3"]; p.Version != "3.0.15" || p.Layer != 0 {
		t.Errorf("libssl3 = %+v, want the new base's", p)
	}
	if p := got["example.org/web"]; p.Layer != 3 {
		t.Errorf("app package in layer %d, want 3 (moved up by one base layer)", p.Layer)
	}
	if p := got["base-files"]; p.Version != "12.5" {
		t.Errorf("base-files = %+v: an unknown-layer package the base has must not come from the app", p)
	}
	if _, ok := got["left-pad"]; !ok {
		t.Error("an unknown-layer app package was dropped")
	}
	if app.Packages[1].Layer != 2 {
		t.Error("the app's document was modified")
	}

	t.Run("documents that do not match the change are refused", func(t *testing.T) {
		bad := *ch
		bad.AppLayers = 2
		if _, err := SBOM(app, base, &bad); err == nil {
			t.Error("no error for an app document with the wrong layer count")
		}
	})
}
