package vuln_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

// debianImage is a bookworm image with openssl from the point release and
// an imagemagick library rebuilt by a binNMU.
func debianImage(distro string) *sbom.Document {
	return &sbom.Document{
		Image: sbom.Image{Distro: distro, Layers: []sbom.Layer{{Name: "os", Owner: "platform"}}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.11-1~deb12u2", Source: "openssl", SourceVersion: "3.0.11-1~deb12u2"},
			{Ecosystem: sbom.Deb, Name: "libmagickcore-6.q16-6", Version: "8:6.9.11.60+dfsg-1.6+deb12u1+b1", Source: "imagemagick", Layer: -1},
			{Ecosystem: sbom.Deb, Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Source: "zlib"},
		},
	}
}

// row is a finding as the tests compare it.
func row(f vuln.Finding) string {
	return fmt.Sprintf("%s %s %s %s fixed=%s urgency=%s", f.Package.Name, f.ID(), f.Status, f.DebianStatus, f.FixedVersion, f.Urgency)
}

// TestMatchDebianTrackerStatuses matches the tracker fixture, which has an
// entry with every status and marker, plus OSV Debian records.
func TestMatchDebianTrackerStatuses(t *testing.T) {
	ctx := context.Background()
	db, err := importAndLoad(ctx, filepath.Join(t.TempDir(), "feeds.db"),
		filepath.Join("testdata", "tracker.json"), filepath.Join("testdata", "osv-debian"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc   string
		distro string
		want   []string
	}{
		{"bookworm", "debian-12", []string{
			"libmagickcore-6.q16-6 CVE-2024-0010 affected end-of-life fixed= urgency=end-of-life",
			// The binNMU's "+b1" is dropped: the OSV record lists the source version.
			"libmagickcore-6.q16-6 CVE-2024-0011 affected  fixed= urgency=",
			"libssl3 CVE-2024-0001 affected resolved fixed=3.0.15-1~deb12u1 urgency=medium",
			// DEBIAN-CVE-2024-0002 is the same issue: reported once, as the tracker says.
			"libssl3 CVE-2024-0002 affected open fixed= urgency=high",
			"libssl3 CVE-2024-0003 under_investigation undetermined fixed= urgency=not yet assigned",
			"libssl3 CVE-2024-0004 affected unimportant fixed= urgency=unimportant",
			"libssl3 CVE-2024-0005 affected no-dsa fixed= urgency=low",
			"libssl3 CVE-2024-0006 affected postponed fixed= urgency=low",
			"libssl3 CVE-2024-0007 affected ignored fixed= urgency=low",
			// CVE-2024-0008 never affected bookworm; CVE-2024-0009 was fixed
			// before the installed version, and the tracker silences
			// DSA-9999-1, which says otherwise; DSA-9997-1 is for trixie.
		}},
		{"trixie by codename", "debian-trixie", []string{
			"libssl3 CVE-2024-0001 affected resolved fixed=3.3.1-1 urgency=medium",
			"libssl3 CVE-2024-0002 affected resolved fixed=3.3.2-1 urgency=high",
			"libssl3 CVE-2024-0012 affected  fixed=3.3.9-1 urgency=",
		}},
		{"unknown release: no Debian findings", "", nil},
		{"release from the purl's distro qualifier", "purl:debian-12", []string{
			"libssl3 CVE-2024-0001 affected resolved fixed=3.0.15-1~deb12u1 urgency=medium",
			"libssl3 CVE-2024-0002 affected open fixed= urgency=high",
			"libssl3 CVE-2024-0003 under_investigation undetermined fixed= urgency=not yet assigned",
			"libssl3 CVE-2024-0004 affected unimportant fixed= urgency=unimportant",
			"libssl3 CVE-2024-0005 affected no-dsa fixed= urgency=low",
			"libssl3 CVE-2024-0006 affected postponed fixed= urgency=low",
			"libssl3 CVE-2024-0007 affected ignored fixed= urgency=low",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var got []string
			doc := debianImage(tt.distro)
			if d, ok := strings.CutPrefix(tt.distro, "purl:"); ok {
				// A distroless image: no os-release, but purls that say.
				doc.Image.Distro = ""
				p := &doc.Packages[0]
				p.PURL = sbom.DebPURL(p.Name, p.Version, "amd64", d, p.Source)
				doc.Packages = doc.Packages[:1]
			}
			for _, f := range vuln.Match(doc, db) {
				got = append(got, row(f))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", lines(got), lines(tt.want))
			}
		})
	}
}

func TestMatchLayerAndMatchedVersion(t *testing.T) {
	db, err := importAndLoad(context.Background(), filepath.Join(t.TempDir(), "feeds.db"), filepath.Join("testdata", "osv-debian"))
	if err != nil {
		t.Fatal(err)
	}
	doc := debianImage("debian-12")
	doc.Packages[1].Layer = 0
	// Without the tracker, the OSV records decide: two for openssl, one for imagemagick.
	fs := vuln.Match(doc, db)
	if len(fs) != 3 {
		t.Fatalf("got %d findings, want 3: %v", len(fs), fs)
	}
	f := fs[0]
	if f.Advisory.ID != "DSA-9998-1" {
		t.Fatalf("first finding is %s, want DSA-9998-1", f.Advisory.ID)
	}
	if fs[2].Advisory.ID != "DSA-9999-1" || fs[2].FixedVersion != "3.0.13-1" {
		t.Errorf("last finding is %s fixed in %q, want DSA-9999-1 fixed in 3.0.13-1", fs[2].Advisory.ID, fs[2].FixedVersion)
	}
	if f.Layer == nil || f.Layer.Name != "os" {
		t.Errorf("layer = %+v, want the os layer", f.Layer)
	}
	if f.MatchedName != "imagemagick" || f.MatchedVersion != "8:6.9.11.60+dfsg-1.6+deb12u1" {
		t.Errorf("matched %s %s, want the source package and version without +b1", f.MatchedName, f.MatchedVersion)
	}
}

func lines(s []string) string {
	out := ""
	for _, l := range s {
		out += "  " + l + "\n"
	}
	return out
}
