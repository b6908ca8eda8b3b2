package sbom

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/image"
)

// summary is "eco name version arch layer location" per package, sorted.
func summary(d *Document) []string {
	var out []string
	for _, p := range d.Packages {
		out = append(out, fmt.Sprintf("%s %s %s %s %d %s", p.Ecosystem, p.Name, p.Version, p.Arch, p.Layer, strings.Join(p.Locations, ",")))
	}
	slices.Sort(out)
	return out
}

func diff(t *testing.T, got, want []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("unexpected: %s", g)
		}
	}
}

// TestFromImageNpmPython reads the testdata layers: npm lock and installed
// packages, Python dist-info and egg-info, with whiteouts and an opaque
// directory in upper layers.
func TestFromImageNpmPython(t *testing.T) {
	var layers []v1.Layer
	for i := range 3 {
		layers = append(layers, dirLayer(t, filepath.Join("testdata", "inspect", "layers", fmt.Sprint(i))))
	}
	doc, err := FromImage(t.Context(), imageOf(t, layers...))
	if err != nil {
		t.Fatal(err)
	}
	const lock, nm = "/app/package-lock.json", "/app/node_modules/"
	diff(t, summary(doc), []string{
		"npm express 4.19.2  0 " + lock,
		"npm debug 4.3.4  0 " + lock,
		"npm debug 2.6.9  0 " + lock,
		"npm express 4.19.2  0 " + nm + "express/package.json",
		"npm debug 4.3.4  0 " + nm + "express/node_modules/debug/package.json",
		"npm debug 2.6.9  0 " + nm + "debug/package.json",
		"npm @scope/pkg 1.0.0  1 " + nm + "@scope/pkg/package.json",
		// removed by a whiteout in layer 1, back in layer 2
		"npm left-pad 1.3.0  2 " + nm + "left-pad/package.json",
		"pypi requests 2.28.1  0 /usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
		// 1.26.18 hidden by the opaque directory of layer 1
		"pypi urllib3 2.0.7  1 /usr/local/lib/python3.11/site-packages/urllib3-2.0.7.dist-info/METADATA",
		// six: removed by a whiteout in layer 2
	})
	for _, p := range doc.Packages {
		if p.PURL == "" {
			t.Errorf("%s %s: no purl", p.Name, p.Version)
		}
	}
	want := map[string]string{"express": "MIT", "@scope/pkg": "ISC", "requests": "Apache-2.0", "urllib3": "MIT", "debug": "MIT"}
	for _, p := range doc.Packages {
		if w, ok := want[p.Name]; ok && !slices.Equal(p.Licenses, []string{w}) {
			t.Errorf("%s at %v: licences %q, want %q", p.Name, p.Locations, p.Licenses, w)
		}
	}
	if len(doc.Image.Layers) != 3 || doc.Image.Platform != "linux/amd64" || doc.Image.Digest == "" {
		t.Errorf("image %+v", doc.Image)
	}
}

const (
	statusA1 = "Package: liba\nStatus: install ok installed\nArchitecture: amd64\nSource: a-src (1:1.0-1)\nVersion: 1:1.0-1+b1\n\n"
	statusA2 = "Package: liba\nStatus: install ok installed\nArchitecture: amd64\nSource: a-src (1:1.0-2)\nVersion: 1:1.0-2\n\n"
	statusB  = "Package: b\nStatus: hold ok installed\nArchitecture: all\nVersion: 2.0\nDepends: this is (not a valid relation\n\n"
	statusC  = "Package: c\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 3.0\n\n"
	statusD  = "Package: d\nStatus: install ok installed\nArchitecture: amd64\nVersion: 4.0\n\n"
	osRel    = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
)

// TestFromImageDpkgLayers follows dpkg's status file through layers that
// rewrite it: unchanged packages keep their layer, an upgrade moves to the
// upgrading layer, a removed and re-added package to the layer that re-added
// it; status.d (distroless) records count as installed.
func TestFromImageDpkgLayers(t *testing.T) {
	first := layerOf(t, tarOf(t,
		file{name: "./usr/lib/os-release", body: osRel},
		file{name: "./var/lib/dpkg/status", body: statusA1 + statusB + statusC + statusD},
		file{name: "var/lib/dpkg/status.d/tzdata", body: "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n"},
		file{name: "var/lib/dpkg/status.d/tzdata.md5sums", body: "0123 usr/share/zoneinfo/UTC\n"},
	))
	img := imageOf(t, first,
		layerOf(t, tarOf(t,
			file{name: "/var/lib/dpkg/status", body: statusA1 + statusB + statusC},
		)),
		layerOf(t, tarOf(t,
			file{name: "var/lib/dpkg/status", body: statusA2 + statusB + statusD},
			file{name: "var/lib/dpkg/status.d/.wh.tzdata", body: ""},
		)),
	)
	doc, err := FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, summary(doc), []string{
		"deb liba 1:1.0-2 amd64 2 /var/lib/dpkg/status",
		"deb b 2.0 all 0 /var/lib/dpkg/status",
		"deb d 4.0 amd64 2 /var/lib/dpkg/status",
	})
	if doc.Image.Distro != "debian-12" {
		t.Errorf("distro %q, want debian-12", doc.Image.Distro)
	}
	for _, p := range doc.Packages {
		if p.Name == "liba" {
			if p.Source != "a-src" || p.SourceVersion != "1:1.0-2" {
				t.Errorf("liba source %s %s", p.Source, p.SourceVersion)
			}
			if want := "pkg:deb/debian/liba@1%3A1.0-2?arch=amd64&distro=debian-12&upstream=a-src"; p.PURL != want {
				t.Errorf("purl %s, want %s", p.PURL, want)
			}
		}
	}

	t.Run("distroless status.d", func(t *testing.T) {
		doc, err := FromImage(t.Context(), imageOf(t, first))
		if err != nil {
			t.Fatal(err)
		}
		diff(t, summary(doc), []string{
			"deb liba 1:1.0-1+b1 amd64 0 /var/lib/dpkg/status",
			"deb b 2.0 all 0 /var/lib/dpkg/status",
			"deb d 4.0 amd64 0 /var/lib/dpkg/status",
			"deb tzdata 2024a-0+deb12u1 all 0 /var/lib/dpkg/status.d/tzdata",
		})
	})
}

// TestFromImageLineage: layer names, owners and base flags come from ingot's
// lineage, matched by diffID, and deb packages are put in the layer the
// lineage says holds them even though the dpkg database is in another.
func TestFromImageLineage(t *testing.T) {
	os_ := layerOf(t, tarOf(t, file{name: "usr/lib/os-release", body: osRel}))
	app := layerOf(t, tarOf(t, file{name: "app/node_modules/x/package.json", body: `{"name": "x", "version": "1.0.0"}`}))
	system := layerOf(t, tarOf(t, file{name: "var/lib/dpkg/status", body: statusA2 + statusD}))
	diffID := func(l v1.Layer) string {
		h, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	lin := image.Lineage{BaseName: "registry.example.com/golden/base", BaseDigest: "sha256:" + strings.Repeat("a", 64), Layers: []image.LayerRecord{
		{Name: "os", Owner: "platform <p@example.com>", DiffID: diffID(os_), Packages: []string{"liba=1:1.0-2"}, Base: true},
		{Name: "app", Owner: "apps <a@example.com>", DiffID: diffID(app)},
		// A record for a layer this image does not have lends nothing.
		{Name: "system", Owner: "platform <p@example.com>", DiffID: "sha256:" + strings.Repeat("0", 64), Packages: []string{"d=4.0"}},
	}}
	b, err := json.Marshal(lin)
	if err != nil {
		t.Fatal(err)
	}
	img := imageOf(t, os_, app, system)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Labels = map[string]string{image.LabelLineage: string(b)}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	doc, err := FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	want := []Layer{
		{Name: "os", Owner: "platform <p@example.com>", Base: true},
		{Name: "app", Owner: "apps <a@example.com>"},
		{},
	}
	for i, l := range doc.Image.Layers {
		if l.Name != want[i].Name || l.Owner != want[i].Owner || l.Base != want[i].Base || l.DiffID == "" || l.Digest == "" {
			t.Errorf("layer %d: %+v, want %+v", i, l, want[i])
		}
	}
	if doc.Image.BaseName != lin.BaseName || doc.Image.BaseDigest != lin.BaseDigest {
		t.Errorf("base %s@%s", doc.Image.BaseName, doc.Image.BaseDigest)
	}
	diff(t, summary(doc), []string{
		"deb liba 1:1.0-2 amd64 0 /var/lib/dpkg/status",
		"deb d 4.0 amd64 2 /var/lib/dpkg/status",
		"npm x 1.0.0  1 /app/node_modules/x/package.json",
	})
}
