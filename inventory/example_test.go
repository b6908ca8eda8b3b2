package inventory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

func ExampleStore_WhoHas() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "inventory-example")
	defer os.RemoveAll(dir)
	s, err := inventory.Open(ctx, filepath.Join(dir, "inventory.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ssl := sbom.Package{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.11-1~deb12u2", Source: "openssl", Layer: 0}
	doc := &sbom.Document{
		Image: sbom.Image{Name: "registry.example.com/team/app", Tags: []string{"v1"}, Digest: "sha256:" + fmt.Sprintf("%064d", 1),
			BaseName: "registry.example.com/golden/base", BaseDigest: "sha256:" + fmt.Sprintf("%064d", 2),
			Layers: []sbom.Layer{
				{DiffID: "sha256:" + fmt.Sprintf("%064d", 3), Name: "os", Owner: "platform", Base: true},
				{DiffID: "sha256:" + fmt.Sprintf("%064d", 4), Name: "app", Owner: "team-a"},
			}},
		Packages: []sbom.Package{ssl},
	}
	if err := s.PutImage(ctx, doc, inventory.ImageRef{}); err != nil {
		fmt.Println(err)
		return
	}
	c, _ := inventory.ParseConstraint("< 3.0.15")
	hits, err := s.WhoHas(ctx, inventory.Query{Name: "openssl", Constraint: c})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range hits {
		fmt.Printf("%s %s %s in layer %s: %s must act (%s, %s order)\n", h.Image.Repository, h.Package, h.Version, h.Layer, h.Owner, h.Origin, h.Comparator)
	}
	// Output:
	// registry.example.com/team/app libssl3 3.0.11-1~deb12u2 in layer os: platform must act (base, dpkg order)
}
