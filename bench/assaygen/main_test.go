package main

import (
	"archive/zip"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ingot-dev/ingot/vuln/feed"
)

func TestFleetIsDeterministic(t *testing.T) {
	b := baseDoc(3)
	if len(b.Packages) != basePackages || b.Image.Distro != "debian-12" {
		t.Fatalf("base has %d packages, distro %q", len(b.Packages), b.Image.Distro)
	}
	a1, a2 := appDoc(7, 1, b), appDoc(7, 1, baseDoc(3))
	if !reflect.DeepEqual(a1, a2) {
		t.Error("the same image differs between two generations")
	}
	if len(a1.Packages) != basePackages+appPackages || a1.Image.BaseDigest != b.Image.Digest {
		t.Errorf("app image: %d packages, base %s", len(a1.Packages), a1.Image.BaseDigest)
	}
	if appDoc(8, 1, b).Image.Digest == a1.Image.Digest {
		t.Error("two images share a digest")
	}
}

// TestAdvisoriesParse: every generated record is valid OSV for ingot.
func TestAdvisoriesParse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.zip")
	if err := writeAdvisories(path, 300, 1); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	ecosystems := map[string]int{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		adv, err := feed.ParseOSV(data)
		if err != nil && !errors.Is(err, feed.ErrIgnored) {
			t.Fatalf("%s: %v", f.Name, err)
		}
		ecosystems[adv.Affected[0].Ecosystem]++
	}
	if len(zr.File) != 300 || len(ecosystems) != 3 {
		t.Errorf("%d records over ecosystems %v", len(zr.File), ecosystems)
	}
}
