package changelog

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
)

// TestClosesRealOpenSSL locks an image to the bookworm point release's
// libssl3, asks the real archive what bookworm-security's newer openssl
// closes, and compares the CVEs with those found independently by
// dpkg-deb, zcat and dpkg --compare-versions in the same .deb.
func TestClosesRealOpenSSL(t *testing.T) {
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "dpkg-deb", "dpkg", "tar", "zcat")
	src, err := repo.SystemSource()
	if err != nil {
		t.Fatal(err)
	}
	src.Suites = []string{"bookworm", "bookworm-updates", "bookworm-security"}
	dir, err := fetch.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := fetch.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	client := repo.New(cache)
	ix, err := client.Index(t.Context(), src, "amd64")
	if err != nil {
		t.Fatal(err)
	}
	var point, security *debian.Package
	for _, p := range ix.Versions("libssl3") {
		switch p.Suite {
		case "bookworm":
			point = p
		case "bookworm-security":
			security = p
		}
	}
	if point == nil || security == nil {
		t.Fatalf("libssl3 in bookworm: %v, in bookworm-security: %v", point, security)
	}
	if security.Version.Compare(point.Version) <= 0 || ix.Candidate("libssl3") != security {
		t.Skipf("bookworm-security's libssl3 %s is not newer than the point release's %s: nothing to close today", security.Version, point.Version)
	}
	doc := &sbom.Document{
		Image: sbom.Image{Name: "locked/openssl", Platform: "linux/amd64", Distro: "debian-12"},
		Packages: []sbom.Package{{Ecosystem: sbom.Deb, Name: "libssl3", Version: point.Version.String(), Arch: "amd64",
			Source: point.Source, SourceVersion: point.SourceVersion.String()}},
	}
	ups, err := Closes(t.Context(), doc, WithSource(src), WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].Candidate != security.Version.String() {
		t.Fatalf("updates %+v, want one to libssl3 %s", ups, security.Version)
	}
	got := ups[0].CVEs()
	if len(got) == 0 {
		t.Fatalf("no CVEs between %s and %s: %+v", point.Version, security.Version, ups[0])
	}
	format := regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	for _, id := range got {
		if !format.MatchString(id) {
			t.Errorf("%q is not a CVE id", id)
		}
	}
	for _, f := range ups[0].Fixes {
		if f.Urgency == "" || f.Version == "" {
			t.Errorf("fix without urgency or version: %+v", f)
		}
	}

	deb := cache.Path(security.SHA256)
	out, err := exec.Command("sh", "-c", `dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/share/doc/libssl3/changelog.Debian.gz | zcat`, "sh", deb).Output()
	if err != nil {
		t.Fatalf("dpkg-deb | tar | zcat: %v", err)
	}
	want := independentCVEs(t, string(out), point.Version.String(), security.Version.String())
	if !slices.Equal(got, want) {
		t.Errorf("Closes: %q\ndpkg-deb+zcat: %q", got, want)
	}
	t.Logf("libssl3 %s -> %s closes %d CVEs: %s", point.Version, security.Version, len(got), strings.Join(got, " "))
}

// independentCVEs splits a changelog at its header lines and keeps the CVEs
// of entries that dpkg orders after lo and not after hi.
func independentCVEs(t *testing.T, text, lo, hi string) []string {
	head := regexp.MustCompile(`(?m)^\S+ \(([^)]+)\) `)
	cve := regexp.MustCompile(`(?i)CVE-\d{4}-\d{4,}`)
	locs := head.FindAllStringSubmatchIndex(text, -1)
	set := map[string]bool{}
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		v := text[l[2]:l[3]]
		if exec.Command("dpkg", "--compare-versions", v, "gt", lo).Run() != nil ||
			exec.Command("dpkg", "--compare-versions", v, "le", hi).Run() != nil {
			continue
		}
		for _, id := range cve.FindAllString(text[l[0]:end], -1) {
			set[strings.ToUpper(id)] = true
		}
	}
	var out []string
	for id := range set {
		out = append(out, id)
	}
	slices.SortFunc(out, compareCVE)
	return out
}
