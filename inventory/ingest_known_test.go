package inventory

import (
	"testing"
)

func TestDetailDocument(t *testing.T) {
	d := Detail{
		Image: Image{Repository: "reg.test/a", Digest: digest("a"), Platform: "linux/amd64", Owner: "team-a", Created: "2026-01-02T03:04:05Z"},
		Layers: []LayerDetail{
			{Position: 0, DiffID: digest("l0"), Name: "os", Owner: "platform", Origin: OriginBase, Packages: []Package{{Ecosystem: "deb", Name: "libc6", Version: "2.36"}}},
			{Position: 1, DiffID: digest("l1"), Name: "app", Owner: "team-a", Origin: OriginApp, Packages: []Package{{Ecosystem: "npm", Name: "lodash", Version: "4.17.21"}}},
			{Position: -1, DiffID: "unknown", Origin: OriginApp, Packages: []Package{{Ecosystem: "pypi", Name: "requests", Version: "2.31.0"}}},
		},
	}
	doc := detailDocument(d)
	if doc == nil {
		t.Fatal("no document")
	}
	if doc.Image.Owner != "" {
		t.Errorf("the image owner %q was carried over", doc.Image.Owner)
	}
	if len(doc.Image.Layers) != 2 || !doc.Image.Layers[0].Base || doc.Image.Layers[1].Base || doc.Image.Layers[0].Owner != "platform" {
		t.Errorf("layers %+v", doc.Image.Layers)
	}
	if doc.Image.Created.IsZero() {
		t.Error("created lost")
	}
	layers := map[string]int{}
	for _, p := range doc.Packages {
		layers[p.Name] = p.Layer
	}
	if want := map[string]int{"libc6": 0, "lodash": 1, "requests": -1}; len(layers) != 3 || layers["libc6"] != 0 || layers["lodash"] != 1 || layers["requests"] != -1 {
		t.Errorf("package layers %v, want %v", layers, want)
	}

	d.Layers[0].Position, d.Layers[1].Position = 1, 0
	if doc := detailDocument(d); doc != nil {
		t.Errorf("layers out of order gave %+v, want nil", doc)
	}
}
