package sbom_test

import (
	"fmt"
	"os"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

func ExampleMapLicense() {
	fmt.Println(sbom.MapLicense("GPL-2+"))
	fmt.Println(sbom.MapLicense("Expat"))
	fmt.Println(sbom.MapLicense("GPL-1+ or Artistic, and BSD-3-clause"))
	fmt.Println(sbom.MapLicense("GPL-3+ with Bison exception"))
	fmt.Println(sbom.MapLicense("public-domain"))
	// Output:
	// GPL-2.0-or-later
	// MIT
	// (GPL-1.0-or-later OR Artistic-1.0) AND BSD-3-Clause
	// GPL-3.0-or-later WITH Bison-exception-2.2
	// LicenseRef-public-domain
}

func ExampleFromBuild() {
	copyright := "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: Apache-2.0\n"
	d, err := sbom.FromBuild(sbom.Build{
		Image: sbom.Image{
			Name: "registry.example.com/golden/base", Platform: "linux/amd64",
			Digest:  "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
			Created: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
			Layers:  []sbom.Layer{{Name: "os", Owner: "platform <platform@example.com>"}},
		},
		Suite:    "bookworm",
		Packages: []sbom.BuildPackage{{Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl"}},
		ReadFile: func(name string) ([]byte, error) {
			if name == "usr/share/doc/libssl3/copyright" {
				return []byte(copyright), nil
			}
			return nil, os.ErrNotExist
		},
	})
	if err != nil {
		panic(err)
	}
	p := d.Packages[0]
	fmt.Println(p.PURL, p.Licenses, d.LayerOf(p).Name)
	// Output:
	// pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl [Apache-2.0] os
}
