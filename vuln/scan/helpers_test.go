package scan

import (
	"context"
	"fmt"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/version"
	"github.com/ingot-dev/ingot/vuln/vex"
)

func dg(s string) string { return "sha256:" + strings.Repeat(s, 64/len(s)) }

// advisories: openssl (Debian 12, fixed in 3.0.14-1~deb12u1, high urgency)
// and golang.org/x/net (fixed in 0.17.0).
func testDB() *feed.DB {
	return feed.NewDB([]*vuln.Advisory{
		{ID: "CVE-2024-5535", Source: vuln.SourceDebianTracker, Affected: []vuln.Affected{{
			Ecosystem: vuln.Debian, Package: "openssl", DebianRelease: "12",
			Debian: &vuln.DebianEntry{Status: "resolved", FixedVersion: "3.0.14-1~deb12u1", Urgency: "high"},
			Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}, {Fixed: "3.0.14-1~deb12u1"}}}},
		}}},
		{ID: "GO-2023-2102", Source: vuln.SourceOSV, Aliases: []string{"CVE-2023-39325"}, Affected: []vuln.Affected{{
			Ecosystem: vuln.Go, Package: "golang.org/x/net",
			Ranges: []vuln.Range{{Type: "SEMVER", Events: []version.Event{{Introduced: "0"}, {Fixed: "0.17.0"}}}},
		}}},
	})
}

// base is a Debian 12 layer with libssl3 (source openssl) owned by platform.
var baseLayer = sbom.Layer{DiffID: dg("b1"), Digest: dg("b2"), Name: "os", Owner: "platform <platform@example.com>", Base: true}

func baseDoc() *sbom.Document {
	return &sbom.Document{
		Image: sbom.Image{Name: "registry.example.com/golden/base", Digest: dg("ba"), Platform: "linux/amd64",
			Distro: "debian-12", Owner: "platform <platform@example.com>", Created: time.Unix(0, 0).UTC(), Layers: []sbom.Layer{baseLayer}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.11-1~deb12u2", Arch: "amd64", Source: "openssl",
				SourceVersion: "3.0.11-1~deb12u2", PURL: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", Layer: 0},
			{Ecosystem: sbom.Deb, Name: "base-files", Version: "12.4+deb12u5", Arch: "amd64", Source: "base-files",
				SourceVersion: "12.4+deb12u5", PURL: "pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64&distro=debian-12", Layer: 0},
		},
	}
}

// appDoc is an image on base with an app layer owned by team, holding
// golang.org/x/net at netVersion.
func appDoc(name, digestSeed, team, netVersion string) *sbom.Document {
	d := baseDoc()
	d.Image.Name, d.Image.Digest, d.Image.Owner = name, dg(digestSeed), team+" <"+team+"@example.com>"
	d.Image.BaseName, d.Image.BaseDigest = "registry.example.com/golden/base", dg("ba")
	d.Image.Layers = append(d.Image.Layers, sbom.Layer{DiffID: dg(digestSeed + "1"), Digest: dg(digestSeed + "2"),
		Name: "app", Owner: d.Image.Owner})
	d.Packages = append(d.Packages, sbom.Package{Ecosystem: sbom.Golang, Name: "golang.org/x/net", Version: "v" + netVersion,
		PURL: "pkg:golang/golang.org/x/net@v" + netVersion, Layer: 1})
	return d
}

// byUrgency is a Prioritizer for tests: high urgency or a Go finding is high,
// the rest low.
func byUrgency(_ context.Context, _ v1.Image, _ *sbom.Document, fs []vuln.Finding) ([]vuln.Finding, error) {
	out := append([]vuln.Finding(nil), fs...)
	for i := range out {
		out[i].Priority, out[i].Reason = vuln.Low, "low urgency"
		if out[i].Urgency == "high" || out[i].Package.Ecosystem == sbom.Golang {
			out[i].Priority, out[i].Reason = vuln.High, fmt.Sprintf("%s urgency", cmpOr(out[i].Urgency, "Go"))
		}
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func notAffected(vulnID, image string) vex.Decision {
	return vex.Decision{Vuln: vulnID, Image: image, Status: vuln.StatusNotAffected,
		Justification: vex.VulnerableCodeNotInExecutePath, Author: "alice", Timestamp: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
}
