package vuln_test

import (
	"testing"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/version"
)

func adv(id, eco, name string, versions []string, events ...version.Event) *vuln.Advisory {
	af := vuln.Affected{Ecosystem: eco, Package: name, Versions: versions}
	if len(events) > 0 {
		typ := "ECOSYSTEM"
		if eco == vuln.Go || eco == vuln.Npm {
			typ = "SEMVER"
		}
		af.Ranges = []vuln.Range{{Type: typ, Events: events}}
	}
	return &vuln.Advisory{ID: id, Source: vuln.SourceOSV, Affected: []vuln.Affected{af}}
}

func TestMatchEcosystems(t *testing.T) {
	intro0 := version.Event{Introduced: "0"}
	db := feed.NewDB([]*vuln.Advisory{
		adv("GHSA-npm", vuln.Npm, "@scope/lib", nil, intro0, version.Event{Fixed: "2.0.0"}),
		adv("PYSEC-1", vuln.PyPI, "Django_Utils", nil, intro0, version.Event{Fixed: "1.0.post1"}),
		adv("PYSEC-2", vuln.PyPI, "listed", []string{"0.9", "1.0"}),
		adv("GO-pseudo", vuln.Go, "example.com/m", nil, intro0, version.Event{Fixed: "0.0.0-20230601000000-abcdefabcdef"}),
		adv("GO-incompatible", vuln.Go, "example.com/old", nil, version.Event{Introduced: "2.0.0"}, version.Event{Fixed: "2.5.0"}),
		adv("GO-last", vuln.Go, "example.com/last", nil, intro0, version.Event{LastAffected: "1.4.0"}),
		adv("GO-bad-range", vuln.Go, "example.com/bad", nil, intro0, version.Event{Fixed: "not a version"}),
	})
	tests := []struct {
		desc string
		pkg  sbom.Package
		want string // advisory id and fixed version, "" for no finding
	}{
		{"npm prerelease of the fix is affected", sbom.Package{Ecosystem: sbom.Npm, Name: "@scope/lib", Version: "2.0.0-rc.1"}, "GHSA-npm 2.0.0"},
		{"npm fix", sbom.Package{Ecosystem: sbom.Npm, Name: "@scope/lib", Version: "2.0.0"}, ""},
		{"pypi name normalised, PEP 440 order", sbom.Package{Ecosystem: sbom.PyPI, Name: "django-utils", Version: "1.0"}, "PYSEC-1 1.0.post1"},
		{"pypi post release fixed", sbom.Package{Ecosystem: sbom.PyPI, Name: "django.utils", Version: "1.0.post1"}, ""},
		{"pypi versions list", sbom.Package{Ecosystem: sbom.PyPI, Name: "listed", Version: "1.0"}, "PYSEC-2 "},
		{"pypi not in the list", sbom.Package{Ecosystem: sbom.PyPI, Name: "listed", Version: "1.1"}, ""},
		{"go pseudo-version before the fix", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/m", Version: "v0.0.0-20230101000000-123456789abc"}, "GO-pseudo 0.0.0-20230601000000-abcdefabcdef"},
		{"go pseudo-version after the fix", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/m", Version: "v0.0.0-20230701000000-123456789abc"}, ""},
		{"go +incompatible", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/old", Version: "v2.1.0+incompatible"}, "GO-incompatible 2.5.0"},
		{"go last_affected", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/last", Version: "v1.4.0"}, "GO-last "},
		{"go above last_affected", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/last", Version: "v1.4.1"}, ""},
		{"go (devel) main module is not matched", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/m", Version: "(devel)"}, ""},
		{"a range that cannot be read matches nothing", sbom.Package{Ecosystem: sbom.Golang, Name: "example.com/bad", Version: "v1.0.0"}, ""},
		{"unparsable installed version matches nothing", sbom.Package{Ecosystem: sbom.Npm, Name: "@scope/lib", Version: "latest"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			tt.pkg.Layer = -1
			fs := vuln.Match(&sbom.Document{Packages: []sbom.Package{tt.pkg}}, db)
			got := ""
			if len(fs) > 1 {
				t.Fatalf("%d findings: %+v", len(fs), fs)
			}
			if len(fs) == 1 {
				got = fs[0].Advisory.ID + " " + fs[0].FixedVersion
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMatcherConcurrent matches the same images from several goroutines with
// one Matcher (run with -race): results equal the single-threaded ones.
func TestMatcherConcurrent(t *testing.T) {
	db := feed.NewDB([]*vuln.Advisory{
		adv("GHSA-1", vuln.Npm, "a", nil, version.Event{Introduced: "0"}, version.Event{Fixed: "2.0.0"}),
		adv("GHSA-2", vuln.Npm, "a", nil, version.Event{Introduced: "1.0.0"}),
	})
	doc := &sbom.Document{Packages: []sbom.Package{{Ecosystem: sbom.Npm, Name: "a", Version: "1.5.0", Layer: -1}}}
	want := len(vuln.Match(doc, db))
	if want != 2 {
		t.Fatalf("%d findings, want 2", want)
	}
	m := vuln.NewMatcher(db)
	errs := make(chan int, 8)
	for range 8 {
		go func() {
			n := 0
			for range 100 {
				n = len(m.Match(doc))
			}
			errs <- n
		}()
	}
	for range 8 {
		if n := <-errs; n != want {
			t.Errorf("concurrent Match gave %d findings, want %d", n, want)
		}
	}
}
