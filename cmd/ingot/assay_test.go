package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/scan"
)

// TestAssayCommand assays a SQLite inventory holding the two platforms of
// the sbomIndex image, named and owned.
func TestAssayCommand(t *testing.T) {
	ctx := context.Background()
	feeds, dir := scanFeeds(t), scanLayout(t)
	invDB := filepath.Join(t.TempDir(), "inventory.db")
	inv, err := inventory.Open(ctx, invDB)
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		p, _ := source.ParsePlatform("linux/" + arch)
		img, err := source.Image(ctx, dir, &p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sbom.FromImage(ctx, img, sbom.WithName("registry.example.com/web", "1"))
		if err != nil {
			t.Fatal(err)
		}
		doc.Image.Owner = "web <web@example.com>"
		if err := inv.PutImage(ctx, doc, inventory.ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
	inv.Close()
	vexDB := filepath.Join(t.TempDir(), "vex.db")
	out, err := runIngot(t, "assay", "--db", invDB, "--feeds-db", feeds, "--vex-db", vexDB, "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var a scan.Assay
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	total := a.Summary.AtLeast("negligible") + a.Summary.Unprioritised
	if a.Images != 2 || len(a.Owners) != 1 || a.Owners[0].Owner != "web <web@example.com>" || len(a.Owners[0].Images) != 2 || total != 4 {
		t.Errorf("assay = %+v, want 2 images of owner web with 2 findings each", a)
	}
	text, err := runIngot(t, "assay", "--db", invDB, "--feeds-db", feeds, "--vex-db", vexDB)
	if err != nil || !strings.Contains(text, "2 images, 3 distinct packages") || !strings.Contains(text, "web <web@example.com>: 2 images") {
		t.Errorf("assay text: %v\n%s", err, text)
	}
}
