package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
)

// init keeps the builds of this package's tests out of the user's
// inventory: "ingot build" records into the default one.
func init() {
	if os.Getenv(inventory.EnvDB) == "" && os.Getenv(inventory.EnvDataDir) == "" {
		os.Setenv(inventory.EnvDataDir, filepath.Join(os.TempDir(), "ingot-cmd-test-inventory"))
	}
}

// TestInventoryIngestCommands: "ingot build --push" records the image in
// $INGOT_DB, --no-inventory does not; "inventory add" and "inventory sync"
// record it from its attached SBOM, then know it.
func TestInventoryIngestCommands(t *testing.T) {
	host := testenv.StartRegistry(t)
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	dir := buildSpecDir(t, "")
	dbs := t.TempDir()
	ref := host + "/golden/hello:1"

	t.Setenv(inventory.EnvDB, filepath.Join(dbs, "built.db"))
	if _, stderr, err := execIngot(t, "build", "-f", filepath.Join(dir, "ingot.yaml"), "--push", "--tag", ref, "--insecure"); err != nil {
		t.Fatalf("build --push: %v\n%s", err, stderr)
	}
	var images []inventory.Image
	stdout, stderr, err := execIngot(t, "inventory", "ls", "-o", "json")
	if err != nil {
		t.Fatalf("inventory ls: %v\n%s", err, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &images); err != nil {
		t.Fatal(err)
	}
	if len(images) != 1 || images[0].Repository != host+"/golden/hello" || len(images[0].Tags) != 1 || images[0].Owner != "platform <platform@example.com>" {
		t.Errorf("after ingot build the inventory holds %+v", images)
	}

	t.Setenv(inventory.EnvDB, filepath.Join(dbs, "none.db"))
	if _, stderr, err := execIngot(t, "build", "-f", filepath.Join(dir, "ingot.yaml"), "--no-inventory", "--layout", t.TempDir()); err != nil {
		t.Fatalf("build --no-inventory: %v\n%s", err, stderr)
	}
	if stdout, _, err := execIngot(t, "inventory", "ls", "-o", "json"); err != nil || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("after --no-inventory: %s (%v), want []", stdout, err)
	}

	db := filepath.Join(dbs, "added.db")
	stdout, stderr, err = execIngot(t, "inventory", "add", "--db", db, "--insecure", ref, "-o", "json")
	if err != nil {
		t.Fatalf("inventory add: %v\n%s", err, stderr)
	}
	var added []inventory.Added
	if err := json.Unmarshal([]byte(stdout), &added); err != nil {
		t.Fatal(err)
	}
	if len(added) != 1 || added[0].From != inventory.FromSBOM || added[0].Packages != 2 {
		t.Errorf("inventory add: %+v, want one image from its SBOM with 2 packages", added)
	}
	stdout, stderr, err = execIngot(t, "inventory", "sync", "--db", db, "--insecure", host+"/golden")
	if err != nil {
		t.Fatalf("inventory sync: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "1 repositories, 1 tags, 1 images (0 new, 1 known)") {
		t.Errorf("inventory sync said:\n%s", stdout)
	}
	if _, _, err := execIngot(t, "inventory", "sync", "--db", db, "not a registry"); err == nil || !strings.Contains(err.Error(), "HOST[:PORT][/PREFIX]") {
		t.Errorf("a bad registry: %v", err)
	}
}
