package debian

import (
	"strings"
	"testing"
)

func pkg(t *testing.T, suite, text string) *Package {
	t.Helper()
	paras, err := ParseControl(strings.NewReader(text))
	if err != nil || len(paras) != 1 {
		t.Fatalf("bad fixture: %v", err)
	}
	p, err := PackageFromParagraph(paras[0])
	if err != nil {
		t.Fatal(err)
	}
	p.Suite = suite
	return p
}

func TestIndexCandidate(t *testing.T) {
	ix := NewIndex("amd64", "bookworm", "bookworm-updates", "bookworm-security")
	ix.Add(pkg(t, "bookworm", "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nFilename: pool/a.deb\n"))
	ix.Add(pkg(t, "bookworm-security", "Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nFilename: pool/b.deb\n"))
	ix.Add(pkg(t, "bookworm-security", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nFilename: pool/t2.deb\n"))
	ix.Add(pkg(t, "bookworm-updates", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nFilename: pool/t1.deb\n"))
	ix.Add(pkg(t, "bookworm", "Package: libssl3\nVersion: 9.9\nArchitecture: arm64\n"))
	ix.Add(pkg(t, "bookworm", "Package: mawk\nVersion: 1.3.4\nArchitecture: amd64\nProvides: awk\n"))

	if c := ix.Candidate("libssl3"); c.Suite != "bookworm-security" || c.Version.String() != "3.0.15-1~deb12u1" {
		t.Errorf("security update should win, got %v from %s", c, c.Suite)
	}
	if c := ix.Candidate("tzdata"); c.Suite != "bookworm-updates" {
		t.Errorf("equal versions: earlier suite should win, got %s", c.Suite)
	}
	if n := len(ix.Versions("libssl3")); n != 2 {
		t.Errorf("foreign-arch record kept: %d versions", n)
	}
	if ps := ix.Providers("awk"); len(ps) != 1 || ps[0].Package.Name != "mawk" {
		t.Errorf("Providers(awk) = %v", ps)
	}
	if ix.Candidate("nope") != nil {
		t.Error("unknown package has a candidate")
	}
}
