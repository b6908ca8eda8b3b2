package scan

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/report"
	"github.com/ingot-dev/ingot/vuln/vex"
)

// TestAssay runs against a real SQLite inventory holding a base and three
// app images of two teams.
func TestAssay(t *testing.T) {
	ctx := context.Background()
	inv, err := inventory.Open(ctx, filepath.Join(t.TempDir(), "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer inv.Close()
	web1 := appDoc("registry.example.com/web", "a1", "web", "0.7.0")
	web2 := appDoc("registry.example.com/web", "a2", "web", "0.17.0")
	api := appDoc("registry.example.com/api", "a3", "api", "0.8.0")
	for _, doc := range []*sbom.Document{baseDoc(), web1, web2, api} {
		if err := inv.PutImage(ctx, doc, inventory.ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
	// One decision covers api's x/net; one names openssl's CVE for the base
	// image only: the apps on the base still have it.
	decisions := []vex.Decision{notAffected("GO-2023-2102", api.Image.Name+"@"+api.Image.Digest),
		notAffected("CVE-2024-5535", baseDoc().Image.Name+"@"+baseDoc().Image.Digest)}
	a, err := New(testDB(), WithPrioritizer(byUrgency), WithVEX(decisions), WithWorkers(2)).Assay(ctx, inv, inventory.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Images != 4 {
		t.Errorf("assayed %d images, want 4", a.Images)
	}
	// openssl (platform's base layer) is in all four images; x/net 0.7.0 and
	// 0.8.0 are vulnerable, 0.17.0 is not; api's finding is suppressed.
	type row struct {
		owner  string
		images map[string]report.Summary
	}
	var got []row
	for _, o := range a.Owners {
		r := row{owner: o.Owner, images: map[string]report.Summary{}}
		for _, im := range o.Images {
			r.images[im.Ref] = im.Summary
		}
		got = append(got, r)
	}
	high1 := report.Summary{High: 1}
	want := []row{
		{"platform <platform@example.com>", map[string]report.Summary{
			baseDoc().Image.Name + "@" + baseDoc().Image.Digest: {Suppressed: 1},
			web1.Image.Name + "@" + web1.Image.Digest:           high1,
			web2.Image.Name + "@" + web2.Image.Digest:           high1,
			api.Image.Name + "@" + api.Image.Digest:             high1,
		}},
		{"web <web@example.com>", map[string]report.Summary{web1.Image.Name + "@" + web1.Image.Digest: high1}},
		{"api <api@example.com>", map[string]report.Summary{api.Image.Name + "@" + api.Image.Digest: {Suppressed: 1}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("assay by owner =\n%+v\nwant\n%+v", got, want)
	}
	if a.Summary != (report.Summary{High: 4, Suppressed: 2}) {
		t.Errorf("fleet summary = %+v", a.Summary)
	}
	if a.Owners[0].Summary != (report.Summary{High: 3, Suppressed: 1}) {
		t.Errorf("platform's summary = %+v, want 3 high, 1 suppressed", a.Owners[0].Summary)
	}
	// 2 Debian packages, x/net in three versions.
	if a.Packages != 5 {
		t.Errorf("distinct packages = %d, want 5", a.Packages)
	}

	only, err := New(testDB(), WithPrioritizer(byUrgency)).Assay(ctx, inv, inventory.Filter{Repository: "registry.example.com/api"})
	if err != nil {
		t.Fatal(err)
	}
	if only.Images != 1 || len(only.Owners) != 2 {
		t.Errorf("filtered assay: %d images, owners %+v", only.Images, only.Owners)
	}
}
