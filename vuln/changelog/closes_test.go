package changelog

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// noise is incompressible test data, the same on every run.
func noise(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func entry(src, version, dist, urgency, changes string) string {
	return src + " (" + version + ") " + dist + "; urgency=" + urgency + "\n\n" + changes + "\n\n -- A Maintainer <a@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n\n"
}

// testRepo is a signed repository with a point-release suite and a security
// suite: foo (two binaries, newer in security), bar (binNMUs), baz (doc
// directory is a symlink, no changelog in the .deb) and qux (up to date).
func testRepo(t *testing.T) (repo.Source, *debtest.Repo) {
	r := debtest.NewRepo(t)
	fooLog := entry("foo", "1.0-3", "bookworm-security", "high", "  * Fix CVE-2024-0003 and cve-2024-10004.") +
		entry("foo", "1.0-2", "bookworm-security", "medium", "  * Fix CVE-2024-0002.\n  * Also CVE-2024-0003 (partial).") +
		entry("foo", "1.0-1", "unstable", "low", "  * Fix CVE-2023-0001.")
	barLog := entry("bar", "2.0-2", "bookworm-security", "medium", "  * CVE-2024-1000") +
		entry("bar", "2.0-1", "unstable", "low", "  * CVE-2023-9999")
	barNMU := entry("bar", "2.0-2+b1", "bookworm-security", "low, binary-only=yes", "  * Binary-only non-maintainer upload for amd64; no source changes.\n  * Rebuild against CVE-2024-2222 fixed libs.")
	r.Add("bookworm", "main",
		debtest.Deb{Name: "libfoo1", Version: "1.0-1", Source: "foo"},
		debtest.Deb{Name: "foo-utils", Version: "1.0-1", Source: "foo"},
		debtest.Deb{Name: "libbar1", Version: "2.0-1+b1", Source: "bar (2.0-1)"},
		debtest.Deb{Name: "libbaz1", Version: "3.0-1", Source: "baz"},
		debtest.Deb{Name: "qux", Version: "1.0-1"},
	)
	r.Add("bookworm-security", "main",
		debtest.Deb{Name: "libfoo1", Version: "1.0-3", Source: "foo", Files: []debtest.File{
			{Path: "./usr/share/doc/libfoo1/changelog.Debian.gz", Body: gz(fooLog)},
			{Path: "./usr/lib/libfoo.so.1", Body: bytes.Repeat([]byte("x"), 1000)},
		}},
		debtest.Deb{Name: "foo-utils", Version: "1.0-3", Source: "foo", Files: []debtest.File{
			{Path: "./usr/share/doc/foo-utils/changelog.Debian.gz", Body: gz("this is not read")},
			{Path: "./usr/bin/foo", Body: noise(100000)},
		}},
		debtest.Deb{Name: "libbar1", Version: "2.0-2+b1", Source: "bar (2.0-2)", Files: []debtest.File{
			{Path: "./usr/share/doc/libbar1/changelog.Debian.gz", Body: gz(barLog)},
			{Path: "./usr/share/doc/libbar1/changelog.Debian.amd64.gz", Body: gz(barNMU)},
		}},
		debtest.Deb{Name: "libbaz1", Version: "3.0-2", Source: "baz", Files: []debtest.File{
			{Path: "./usr/share/doc/libbaz1", Linkname: "libbaz-common"},
		}},
	)
	return repo.Source{Mirror: r.URL(), Suites: []string{"bookworm", "bookworm-security"}, Keyring: r.Key().KeyringFile(t)}, r
}

func testDoc() *sbom.Document {
	return &sbom.Document{
		Image: sbom.Image{Name: "example/app", Platform: "linux/amd64", Distro: "debian-12", Layers: []sbom.Layer{{Name: "os"}}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libfoo1", Version: "1.0-1", Arch: "amd64", Source: "foo", SourceVersion: "1.0-1"},
			{Ecosystem: sbom.Deb, Name: "foo-utils", Version: "1.0-1", Arch: "amd64", Source: "foo", SourceVersion: "1.0-1"},
			{Ecosystem: sbom.Deb, Name: "libbar1", Version: "2.0-1+b1", Arch: "amd64", Source: "bar", SourceVersion: "2.0-1"},
			{Ecosystem: sbom.Deb, Name: "libbaz1", Version: "3.0-1", Arch: "amd64", Source: "baz", SourceVersion: "3.0-1"},
			{Ecosystem: sbom.Deb, Name: "qux", Version: "1.0-1", Arch: "amd64", Source: "qux", SourceVersion: "1.0-1"},
			{Ecosystem: sbom.Deb, Name: "not-in-archive", Version: "1", Arch: "amd64"},
			{Ecosystem: sbom.Golang, Name: "golang.org/x/net", Version: "v0.1.0"},
		},
	}
}

func TestCloses(t *testing.T) {
	src, r := testRepo(t)
	cache, err := fetch.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	doc := testDoc()
	ups, err := Closes(t.Context(), doc, WithSource(src), WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range ups {
		names = append(names, u.Package.Name)
	}
	if want := []string{"foo-utils", "libbar1", "libbaz1", "libfoo1"}; !slices.Equal(names, want) {
		t.Fatalf("updates for %q, want %q", names, want)
	}
	byName := map[string]Update{}
	for _, u := range ups {
		byName[u.Package.Name] = u
	}
	tests := []struct {
		desc, pkg, candidate string
		fixes                []Fix
		from                 string
	}{
		{"source with two binaries: the smaller .deb is read", "libfoo1", "1.0-3", []Fix{
			{Version: "1.0-3", Distribution: "bookworm-security", Urgency: "high", CVEs: []string{"CVE-2024-0003", "CVE-2024-10004"}},
			{Version: "1.0-2", Distribution: "bookworm-security", Urgency: "medium", CVEs: []string{"CVE-2024-0002", "CVE-2024-0003"}},
		}, "changelog of libfoo1 1.0-3"},
		{"the other binary shares the changelog", "foo-utils", "1.0-3", []Fix{
			{Version: "1.0-3", Distribution: "bookworm-security", Urgency: "high", CVEs: []string{"CVE-2024-0003", "CVE-2024-10004"}},
			{Version: "1.0-2", Distribution: "bookworm-security", Urgency: "medium", CVEs: []string{"CVE-2024-0002", "CVE-2024-0003"}},
		}, "changelog of libfoo1 1.0-3"},
		{"binNMU: the arch changelog and the source's both count", "libbar1", "2.0-2+b1", []Fix{
			{Version: "2.0-2+b1", Distribution: "bookworm-security", Urgency: "low", CVEs: []string{"CVE-2024-2222"}},
			{Version: "2.0-2", Distribution: "bookworm-security", Urgency: "medium", CVEs: []string{"CVE-2024-1000"}},
		}, "changelog of libbar1 2.0-2+b1"},
		{"no changelog in the .deb", "libbaz1", "3.0-2", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			u := byName[tt.pkg]
			if u.Candidate != tt.candidate || u.Suite != "bookworm-security" || u.Changelog != tt.from {
				t.Errorf("candidate %q suite %q from %q", u.Candidate, u.Suite, u.Changelog)
			}
			if tt.from != "" && len(u.Entries) == 0 {
				t.Error("the changelog's entries are not kept")
			}
			if len(u.Fixes) != len(tt.fixes) {
				t.Fatalf("fixes %+v, want %+v", u.Fixes, tt.fixes)
			}
			for i := range tt.fixes {
				g, w := u.Fixes[i], tt.fixes[i]
				if g.Version != w.Version || g.Distribution != w.Distribution || g.Urgency != w.Urgency || !slices.Equal(g.CVEs, w.CVEs) {
					t.Errorf("fix %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
	// One .deb per candidate source version: foo-utils' bigger .deb is not fetched.
	poolUtils, _, _ := r.Deb("foo-utils", "1.0-3", "amd64")
	if n := r.Requests("/" + poolUtils); n != 0 {
		t.Errorf("foo-utils .deb fetched %d times", n)
	}

	fs := Findings(doc, ups)
	var got []string
	for _, f := range fs {
		got = append(got, f.Package.Name+" "+f.ID()+" "+f.FixedVersion+" "+f.Urgency)
		if f.Status != vuln.StatusAffected || f.Advisory.Source != Source || f.Affected.DebianRelease != "12" || f.Layer == nil {
			t.Errorf("finding %+v", f)
		}
	}
	want := []string{
		"foo-utils CVE-2024-0002 1.0-2 medium", "foo-utils CVE-2024-0003 1.0-2 medium", "foo-utils CVE-2024-10004 1.0-3 high",
		"libbar1 CVE-2024-1000 2.0-2 medium", "libbar1 CVE-2024-2222 2.0-2+b1 low",
		"libfoo1 CVE-2024-0002 1.0-2 medium", "libfoo1 CVE-2024-0003 1.0-2 medium", "libfoo1 CVE-2024-10004 1.0-3 high",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestClosesCorruptDeb(t *testing.T) {
	src, r := testRepo(t)
	pool, _, _ := r.Deb("libfoo1", "1.0-3", "amd64")
	r.CorruptFile(pool)
	cache, err := fetch.New(t.TempDir(), fetch.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Closes(t.Context(), testDoc(), WithSource(src), WithCache(cache))
	if err == nil || !strings.Contains(err.Error(), "libfoo1 1.0-3") {
		t.Fatalf("err = %v, want a digest error naming libfoo1 1.0-3", err)
	}
}
