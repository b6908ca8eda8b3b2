package build

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/sbom/sbomtest"
)

// cdxComponent is the part of a CycloneDX component the tests look at.
type cdxComponent struct {
	BOMRef   string `json:"bom-ref"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	PURL     string `json:"purl"`
	Supplier *struct {
		Name string `json:"name"`
	} `json:"supplier"`
	Licenses []struct {
		License struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"license"`
		Expression string `json:"expression"`
	} `json:"licenses"`
	Properties []struct{ Name, Value string } `json:"properties"`
}

type cdxBOM struct {
	Components   []cdxComponent `json:"components"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

func (c cdxComponent) prop(name string) string {
	for _, p := range c.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

func (c cdxComponent) licenses() string {
	var out []string
	for _, l := range c.Licenses {
		out = append(out, l.License.ID+l.License.Name+l.Expression)
	}
	return strings.Join(out, " ")
}

func sbomOf(t *testing.T, res *Result, arch, format string) SBOMFile {
	t.Helper()
	for _, sf := range res.SBOMs {
		if sf.Arch == arch && sf.Format == format {
			return sf
		}
	}
	t.Fatalf("no %s %s SBOM in the result: %+v", arch, format, res.SBOMs)
	return SBOMFile{}
}

// TestGoldenSBOM builds a small image whose packages have copyright files
// (one reached through a doc directory symlink) and checks the SBOMs in the
// layout: valid, deterministic, and saying what the build knows.
func TestGoldenSBOM(t *testing.T) {
	r := fixtureRepo(t)
	dep5 := "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 1995 Jean-loup Gailly\nLicense: Zlib\n\nFiles: contrib/*\nLicense: GPL-2+ or Artistic\n"
	r.Add("bookworm", "main",
		debtest.Deb{Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Arch: "amd64", Source: "zlib", Control: map[string]string{"Maintainer": "Mark Brown <broonie@debian.org>", "Depends": "libc6 (>= 2.14)"},
			Files: []debtest.File{{Path: "./usr/share/doc/zlib1g/copyright", Body: []byte(dep5)}}},
		debtest.Deb{Name: "zlib1g-dev", Version: "1:1.2.13.dfsg-1", Arch: "amd64", Source: "zlib", Control: map[string]string{"Depends": "zlib1g (= 1:1.2.13.dfsg-1), libc-dev | libc6"},
			Files: []debtest.File{{Path: "./usr/share/doc/zlib1g-dev", Linkname: "zlib1g"}}},
	)
	dir := t.TempDir()
	text := strings.Replace(fixtureSpec, "packages: [ca-certificates, libssl3]", "packages: [ca-certificates, libssl3, zlib1g-dev]", 1)
	text = strings.Replace(text, "architectures: [amd64, arm64]", "architectures: [amd64]", 1)
	s := writeSpec(t, dir, r, text)
	cache := testCache(t)
	layout := filepath.Join(dir, "out")
	res, err := golden(t, s, WithCache(cache), WithLayout(layout))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SBOMs) != 2 {
		t.Fatalf("SBOMs = %+v, want SPDX and CycloneDX for amd64", res.SBOMs)
	}
	spdx, cdx := sbomOf(t, res, "amd64", "spdx"), sbomOf(t, res, "amd64", "cyclonedx")
	for _, sf := range []SBOMFile{spdx, cdx} {
		if want := filepath.Join(layout, "sbom", "amd64"+map[string]string{"spdx": ".spdx.json", "cyclonedx": ".cdx.json"}[sf.Format]); sf.Path != want {
			t.Errorf("%s path %q, want %q", sf.Format, sf.Path, want)
		}
		onDisk, err := os.ReadFile(sf.Path)
		if err != nil || !bytes.Equal(onDisk, sf.Data) {
			t.Errorf("%s: the file in the layout is not the document (%v)", sf.Format, err)
		}
	}
	if err := sbomtest.ValidateSPDX(spdx.Data); err != nil {
		t.Errorf("SPDX: %v", err)
	}
	if err := sbomtest.ValidateCycloneDX(cdx.Data); err != nil {
		t.Errorf("CycloneDX: %v", err)
	}

	var bom cdxBOM
	if err := json.Unmarshal(cdx.Data, &bom); err != nil {
		t.Fatal(err)
	}
	comps := map[string]cdxComponent{}
	for _, c := range bom.Components {
		comps[c.Name] = c
	}
	var names []string
	for n := range comps {
		names = append(names, n)
	}
	slices.Sort(names)
	if got, want := strings.Join(names, " "), "base-files ca-certificates libc6 libgcc-s1 libssl3 netbase openssl zlib1g zlib1g-dev"; got != want {
		t.Errorf("components %s, want %s", got, want)
	}
	z, zdev, ssl := comps["zlib1g"], comps["zlib1g-dev"], comps["libssl3"]
	if z.PURL != "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib" {
		t.Errorf("zlib1g purl %s", z.PURL)
	}
	if got, want := z.licenses(), "(GPL-2.0-or-later OR Artistic-1.0) AND Zlib"; got != want {
		t.Errorf("zlib1g licences %q, want %q", got, want)
	}
	if zdev.licenses() != z.licenses() {
		t.Errorf("zlib1g-dev licences %q: the doc directory link to zlib1g was not followed", zdev.licenses())
	}
	if ssl.licenses() != "" {
		t.Errorf("libssl3 has no copyright file but licences %q", ssl.licenses())
	}
	if z.Supplier == nil || z.Supplier.Name != "Mark Brown" {
		t.Errorf("zlib1g supplier %+v, want the Maintainer", z.Supplier)
	}
	if ssl.prop("ingot:layer:name") != "tls" || ssl.prop("ingot:layer:owner") != "security <security@example.com>" ||
		ssl.prop("ingot:deb:source") != "openssl" || !strings.HasPrefix(ssl.prop("ingot:layer:diffID"), "sha256:") {
		t.Errorf("libssl3 properties %+v", ssl.Properties)
	}
	deps := map[string][]string{}
	for _, d := range bom.Dependencies {
		deps[d.Ref] = d.DependsOn
	}
	if got, want := deps[zdev.BOMRef], []string{comps["libc6"].BOMRef, z.BOMRef}; !slices.Equal(got, want) {
		t.Errorf("zlib1g-dev depends on %v, want %v (libc-dev is not installed, libc6 is)", got, want)
	}

	// A rebuild (from the layer cache) gives byte-identical SBOMs.
	res2, err := golden(t, s, WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if !res2.Images[0].Cached {
		t.Log("the rebuild did not hit the layer cache")
	}
	for _, f := range []string{"spdx", "cyclonedx"} {
		if !bytes.Equal(sbomOf(t, res, "amd64", f).Data, sbomOf(t, res2, "amd64", f).Data) {
			t.Errorf("the rebuild's %s SBOM differs", f)
		}
	}
}

// TestExampleBaseSBOM checks the SBOMs of the real examples/base image:
// valid against the schemas, and listing exactly the packages dpkg-query
// sees in the unpacked root.
func TestExampleBaseSBOM(t *testing.T) {
	e := exampleBuild(t, "base", "amd64", "arm64")
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			spdx, cdx := sbomOf(t, e.res, arch, "spdx"), sbomOf(t, e.res, arch, "cyclonedx")
			if err := sbomtest.ValidateSPDX(spdx.Data); err != nil {
				t.Errorf("SPDX: %v", err)
			}
			if err := sbomtest.ValidateCycloneDX(cdx.Data); err != nil {
				t.Errorf("CycloneDX: %v", err)
			}
			var bom cdxBOM
			if err := json.Unmarshal(cdx.Data, &bom); err != nil {
				t.Fatal(err)
			}
			var got []string
			licensed := 0
			for _, c := range bom.Components {
				got = append(got, c.Name+" "+c.Version)
				if len(c.Licenses) > 0 {
					licensed++
				}
				if !strings.HasPrefix(c.PURL, "pkg:deb/debian/"+c.Name+"@") || !strings.Contains(c.PURL, "distro=debian-12") {
					t.Errorf("%s: purl %s", c.Name, c.PURL)
				}
			}
			slices.Sort(got)
			if rootfs := e.rootfs[arch]; rootfs != "" {
				if want := dpkgQuery(t, rootfs); !slices.Equal(got, want) {
					t.Errorf("SBOM packages differ from dpkg-query:\n got %v\nwant %v", got, want)
				}
			}
			if licensed == 0 {
				t.Error("no package has a licence: the copyright files were not read")
			}
			t.Logf("%s: %d packages, %d with licences from their copyright files", arch, len(got), licensed)
		})
	}
}

// TestGoldenSBOMPush pushes a small image to a real registry (Debian's
// docker-registry) and reads its SBOMs back as referrers of each platform
// image.
func TestGoldenSBOMPush(t *testing.T) {
	host := testenv.StartRegistry(t)
	r := fixtureRepo(t)
	dir := t.TempDir()
	s := writeSpec(t, dir, r, fixtureSpec)
	ref := host + "/golden/base:1"
	res, err := golden(t, s, WithPush(), WithTag(ref), WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SBOMs) != 4 {
		t.Fatalf("SBOMs = %d, want SPDX and CycloneDX for amd64 and arm64", len(res.SBOMs))
	}
	repo, err := name.NewRepository(host+"/golden/base", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range res.Images {
		idx, err := remote.Referrers(repo.Digest(ir.Digest), remote.WithContext(t.Context()))
		if err != nil {
			t.Fatalf("%s: listing referrers: %v", ir.Arch, err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, d := range im.Manifests {
			img, err := remote.Image(repo.Digest(d.Digest.String()), remote.WithContext(t.Context()))
			if err != nil {
				t.Fatal(err)
			}
			ls, err := img.Layers()
			if err != nil || len(ls) != 1 {
				t.Fatalf("%s referrer %s: %d layers, %v", ir.Arch, d.Digest, len(ls), err)
			}
			rc, err := ls[0].Compressed()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			format := map[string]string{sbom.ArtifactSPDX: "spdx", sbom.ArtifactCycloneDX: "cyclonedx"}[d.ArtifactType]
			if format == "" {
				t.Errorf("%s: referrer with artifactType %q", ir.Arch, d.ArtifactType)
				continue
			}
			if !bytes.Equal(data, sbomOf(t, res, ir.Arch, format).Data) {
				t.Errorf("%s: the attached %s SBOM is not the one built", ir.Arch, format)
			}
			got[format] = true
		}
		if !got["spdx"] || !got["cyclonedx"] {
			t.Errorf("%s: attached %v, want spdx and cyclonedx", ir.Arch, got)
		}
	}
}
