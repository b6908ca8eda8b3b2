package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

func invDigest(s string) string { return "sha256:" + strings.Repeat(s, 64)[:64] }

// inventoryFixture writes a base, an app on it and a foreign image into a
// fresh store and returns the store's location.
func inventoryFixture(t *testing.T, location string) string {
	t.Helper()
	if location == "" {
		location = filepath.Join(t.TempDir(), "inv.db")
	}
	s, err := inventory.Open(t.Context(), location)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plat := "platform <platform@example.com>"
	ssl := func(v string, layer int) sbom.Package {
		return sbom.Package{Ecosystem: sbom.Deb, Name: "libssl3", Version: v, Arch: "amd64", Source: "openssl", SourceVersion: v,
			PURL: sbom.DebPURL("libssl3", v, "amd64", "debian-12", "openssl"), Layer: layer}
	}
	docs := []*sbom.Document{
		{Image: sbom.Image{Name: "reg.test/golden/base", Tags: []string{"12"}, Digest: invDigest("b"), Platform: "linux/amd64", Owner: plat,
			Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Layers: []sbom.Layer{{DiffID: invDigest("1"), Name: "os", Owner: plat}}},
			Packages: []sbom.Package{ssl("3.0.11-1~deb12u2", 0)}},
		{Image: sbom.Image{Name: "reg.test/team/app", Tags: []string{"v1"}, Digest: invDigest("a"), Platform: "linux/amd64", Owner: "team-a",
			BaseName: "reg.test/golden/base:12", BaseDigest: invDigest("b"),
			Layers: []sbom.Layer{{DiffID: invDigest("1"), Name: "os", Owner: plat, Base: true}, {DiffID: invDigest("2"), Name: "app", Owner: "team-a"}}},
			Packages: []sbom.Package{ssl("3.0.11-1~deb12u2", 0), {Ecosystem: sbom.Golang, Name: "golang.org/x/net", Version: "v0.20.0", PURL: sbom.GoPURL("golang.org/x/net", "v0.20.0"), Layer: 1}}},
		{Image: sbom.Image{Name: "docker.test/library/foo", Tags: []string{"1"}, Digest: invDigest("f"), Platform: "linux/amd64",
			Layers: []sbom.Layer{{DiffID: invDigest("3")}}},
			Packages: []sbom.Package{ssl("3.0.15-1~deb12u1", 0)}},
	}
	for _, d := range docs {
		if err := s.PutImage(t.Context(), d, inventory.ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
	return location
}

func runInv(t *testing.T, args ...string) (string, error) {
	t.Helper()
	t.Cleanup(func() { flagOutput, flagDB = "text", "" })
	stdout, stderr, err := execIngot(t, args...)
	if err != nil && stderr != "" {
		t.Logf("stderr: %s", stderr)
	}
	return stdout, err
}

func TestInventoryCommands(t *testing.T) {
	db := inventoryFixture(t, "")
	for _, tc := range []struct {
		desc string
		args []string
		want []string
	}{
		{"ls", []string{"inventory", "ls", "--db", db}, []string{"REPOSITORY", "docker.test/library/foo", "reg.test/team/app  aaaaaaaaaaaa  v1  linux/amd64  team-a  reg.test/golden/base:12"}},
		{"ls --owner", []string{"inventory", "ls", "--db", db, "--owner", "team-a"}, []string{"reg.test/team/app "}},
		{"ls --base", []string{"inventory", "ls", "--db", db, "--base", "reg.test/golden/base"}, []string{"reg.test/team/app "}},
		{"show", []string{"inventory", "show", "--db", db, "reg.test/team/app:v1"}, []string{
			"reg.test/team/app@" + invDigest("a"), "lineage:  reg.test/golden/base@bbbbbbbbbbbb",
			"layer os 111111111111 (base) owner platform <platform@example.com>, 1 packages", "deb  libssl3  3.0.11-1~deb12u2  source openssl",
			"layer app 222222222222 (app) owner team-a, 1 packages"}},
		{"dependents", []string{"inventory", "dependents", "--db", db, "reg.test/golden/base"}, []string{"DEPTH", "1      reg.test/team/app"}},
		{"owner set", []string{"inventory", "owner", "set", "--db", db, "docker.test/library/foo:1", "--team", "edge", "--contact", "edge@example.com"},
			[]string{"images of docker.test/library/foo:1: owned by edge <edge@example.com>"}},
		{"ls after owner set", []string{"inventory", "ls", "--db", db, "--owner", "edge"}, []string{"docker.test/library/foo"}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			out, err := runInv(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, w := range tc.want {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		out, err := runInv(t, "inventory", "show", "--db", db, "-o", "json", invDigest("a"))
		if err != nil {
			t.Fatal(err)
		}
		var ds []inventory.Detail
		if err := json.Unmarshal([]byte(out), &ds); err != nil || len(ds) != 1 || len(ds[0].Layers) != 2 || ds[0].Layers[0].Origin != "base" {
			t.Errorf("show -o json = %v, %+v", err, ds)
		}
		out, err = runInv(t, "inventory", "ls", "--db", db, "-o", "json", "--owner", "nobody")
		if err != nil || strings.TrimSpace(out) != "[]" {
			t.Errorf("empty ls -o json = %q, %v", out, err)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"inventory", "show", "--db", db, "reg.test/nothing"}, "ingot inventory add"},
			{[]string{"inventory", "owner", "set", "--db", db, "reg.test/team/app", "--team", "x", "--layer", "nope"}, "no image of reg.test/team/app has a layer"},
			{[]string{"inventory", "owner", "set", "--db", db, "reg.test/team/app"}, "team"},
			{[]string{"inventory", "ls", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, "check --db or INGOT_DB"},
		} {
			if _, err := runInv(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: err %v, want %q", tc.args, err, tc.want)
			}
		}
	})
}
