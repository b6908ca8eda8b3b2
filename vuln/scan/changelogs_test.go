package scan

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/changelog"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/version"
)

// TestScanWithChangelogs reads the changelog of a newer libfoo1 from a
// hermetic signed archive: the CVE the feeds know keeps the feeds' finding,
// the one only the changelog names is added.
func TestScanWithChangelogs(t *testing.T) {
	var log bytes.Buffer
	w := gzip.NewWriter(&log)
	w.Write([]byte("foo (1.0-2) bookworm-security; urgency=high\n\n  * Fix CVE-2024-0002 and CVE-2024-0003.\n\n" +
		" -- A Maintainer <a@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n\n" +
		"foo (1.0-1) unstable; urgency=low\n\n  * Initial release.\n\n -- A Maintainer <a@example.org>  Mon, 01 Jan 2023 00:00:00 +0000\n"))
	w.Close()
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main", debtest.Deb{Name: "libfoo1", Version: "1.0-1", Source: "foo"})
	r.Add("bookworm-security", "main", debtest.Deb{Name: "libfoo1", Version: "1.0-2", Source: "foo", Files: []debtest.File{
		{Path: "./usr/share/doc/libfoo1/changelog.Debian.gz", Body: log.Bytes()},
	}})
	src := repo.Source{Mirror: r.URL(), Suites: []string{"bookworm", "bookworm-security"}, Keyring: r.Key().KeyringFile(t)}
	cache, err := fetch.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := feed.NewDB([]*vuln.Advisory{{ID: "CVE-2024-0002", Source: vuln.SourceDebianTracker, Affected: []vuln.Affected{{
		Ecosystem: vuln.Debian, Package: "foo", DebianRelease: "12",
		Debian: &vuln.DebianEntry{Status: "resolved", FixedVersion: "1.0-2", Urgency: "medium"},
		Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}, {Fixed: "1.0-2"}}}},
	}}}})
	doc := &sbom.Document{
		Image:    sbom.Image{Name: "example/app", Platform: "linux/amd64", Distro: "debian-12", Layers: []sbom.Layer{{Name: "os"}}},
		Packages: []sbom.Package{{Ecosystem: sbom.Deb, Name: "libfoo1", Version: "1.0-1", Arch: "amd64", Source: "foo", SourceVersion: "1.0-1"}},
	}
	res, err := New(db, WithChangelogs(changelog.WithSource(src), changelog.WithCache(cache))).Scan(t.Context(), "app", nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.ID()] = f.Advisory.Source
	}
	want := map[string]string{"CVE-2024-0002": vuln.SourceDebianTracker, "CVE-2024-0003": changelog.Source}
	if len(got) != len(want) || got["CVE-2024-0002"] != want["CVE-2024-0002"] || got["CVE-2024-0003"] != want["CVE-2024-0003"] {
		t.Errorf("findings by source = %v, want %v", got, want)
	}
	without, err := New(db).Scan(t.Context(), "app", nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(without.Findings) != 1 {
		t.Errorf("without changelogs: %d findings, want the feed's 1", len(without.Findings))
	}
}
