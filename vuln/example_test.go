package vuln_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/version"
)

func ExampleMatch() {
	db := feed.NewDB([]*vuln.Advisory{{
		ID:     "CVE-2024-0001",
		Source: vuln.SourceDebianTracker,
		Affected: []vuln.Affected{{
			Ecosystem: vuln.Debian, Package: "openssl", DebianRelease: "12",
			Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}, {Fixed: "3.0.15-1~deb12u1"}}}},
			Debian: &vuln.DebianEntry{Status: "resolved", FixedVersion: "3.0.15-1~deb12u1", Urgency: "medium"},
		}},
	}})
	doc := &sbom.Document{
		Image: sbom.Image{Distro: "debian-12"},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.11-1~deb12u2", Source: "openssl", Layer: -1},
		},
	}
	for _, f := range vuln.Match(doc, db) {
		fmt.Println(f.Package.Name, f.ID(), f.Status, f.DebianStatus, "fixed in", f.FixedVersion)
	}
	// Output:
	// libssl3 CVE-2024-0001 affected resolved fixed in 3.0.15-1~deb12u1
}
