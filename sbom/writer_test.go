package sbom

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureDocument is a small fixed Document with what the writers must
// handle: an epoch, a '+', a LicenseRef, a compound licence, a package in
// two layers, an arch:all package, a Go module, a base image.
func fixtureDocument() *Document {
	return &Document{
		Image: Image{
			Name:       "registry.example.com/golden/base",
			Tags:       []string{"1.0", "latest"},
			Digest:     "sha256:1111111111111111111111111111111111111111111111111111111111111111",
			Platform:   "linux/amd64",
			Created:    time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC),
			Owner:      "platform team <platform@example.com>",
			Distro:     "debian-12",
			BaseName:   "registry.example.com/golden/static",
			BaseDigest: "sha256:2222222222222222222222222222222222222222222222222222222222222222",
			Layers: []Layer{
				{DiffID: "sha256:aaaa000000000000000000000000000000000000000000000000000000000000", Name: "os", Owner: "os team <os@example.com>", Base: true},
				{DiffID: "sha256:bbbb000000000000000000000000000000000000000000000000000000000000", Name: "app", Owner: "app team <app@example.com>"},
			},
		},
		Packages: []Package{
			{Ecosystem: Deb, Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl", SourceVersion: "3.0.15-1~deb12u1",
				PURL: DebPURL("libssl3", "3.0.15-1~deb12u1", "amd64", "debian-12", "openssl"), Licenses: []string{"Apache-2.0"},
				SHA256: "c0ffee0000000000000000000000000000000000000000000000000000000000", Layer: 0, Locations: []string{StatusLocation},
				Supplier: "Debian OpenSSL Team <pkg-openssl-devel@lists.alioth.debian.org>", DependsOn: []string{"libc6"}},
			{Ecosystem: Deb, Name: "libc6", Version: "2.36-9+deb12u9", Arch: "amd64", Source: "glibc", SourceVersion: "2.36-9+deb12u9",
				PURL: DebPURL("libc6", "2.36-9+deb12u9", "amd64", "debian-12", "glibc"), Licenses: []string{"GPL-2.0-or-later", "LGPL-2.1-or-later", "LicenseRef-public-domain"},
				SHA256: "beef000000000000000000000000000000000000000000000000000000000000", Layer: 0, Locations: []string{StatusLocation},
				Supplier: "GNU Libc Maintainers <debian-glibc@lists.debian.org>"},
			{Ecosystem: Deb, Name: "perl-base", Version: "5.36.0-7+deb12u1", Arch: "amd64", Source: "perl", SourceVersion: "5.36.0-7+deb12u1",
				PURL: DebPURL("perl-base", "5.36.0-7+deb12u1", "amd64", "debian-12", "perl"), Licenses: []string{"Artistic-1.0-Perl OR GPL-1.0-or-later"},
				Layer: 0, Locations: []string{StatusLocation}, Supplier: "Niko Tyni <ntyni@debian.org>", DependsOn: []string{"libc6"}},
			{Ecosystem: Deb, Name: "tzdata", Version: "2024a-0+deb12u1", Arch: "all", Source: "tzdata",
				PURL: DebPURL("tzdata", "2024a-0+deb12u1", "all", "debian-12", "tzdata"), Licenses: []string{"LicenseRef-public-domain"},
				Layer: 0, Locations: []string{StatusLocation}},
			{Ecosystem: Deb, Name: "tzdata", Version: "2024a-0+deb12u1", Arch: "all", Source: "tzdata",
				PURL: DebPURL("tzdata", "2024a-0+deb12u1", "all", "debian-12", "tzdata"), Licenses: []string{"LicenseRef-public-domain"},
				Layer: 1, Locations: []string{StatusLocation}},
			{Ecosystem: Deb, Name: "sed", Version: "1:4.9-1", Arch: "amd64", Source: "sed",
				PURL: DebPURL("sed", "1:4.9-1", "amd64", "debian-12", "sed"), Layer: 1, Locations: []string{StatusLocation}},
			{Ecosystem: Golang, Name: "github.com/example/server", Version: "v1.2.3", PURL: GoPURL("github.com/example/server", "v1.2.3"),
				Layer: 1, Locations: []string{"/app/server"}},
		},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *Document) error
	}{
		{"fixture.spdx.json", func(b *bytes.Buffer, d *Document) error { return WriteSPDX(b, d) }},
		{"fixture.cdx.json", func(b *bytes.Buffer, d *Document) error { return WriteCycloneDX(b, d) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.write(&got, fixtureDocument()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tc.name)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./sbom -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s drifted from the golden file; if the change is intended, run go test ./sbom -run TestGolden -update\ngot:\n%s", tc.name, got.String())
			}
		})
	}
}
