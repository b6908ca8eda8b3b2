package update

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/changelog"
)

func upload(src, version, changes string) string {
	return src + " (" + version + ") bookworm-security; urgency=high\n\n  * " + changes +
		"\n\n -- Debian <debian@example.org>  Mon, 02 Sep 2024 00:00:00 +0000\n\n"
}

func parseLog(t *testing.T, text string) []changelog.Entry {
	t.Helper()
	e, err := changelog.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func debPkg(name, version, arch, src string) sbom.Package {
	return sbom.Package{Ecosystem: sbom.Deb, Name: name, Version: version, Arch: arch, Source: src, SourceVersion: version}
}

func lockPkg(name, version, arch, src, sha string, size int64) lock.Package {
	return lock.Package{Name: name, Version: version, Architecture: arch, Source: src, SourceVersion: version, SHA256: sha, Size: size}
}

// putBuild records one platform image: its layers bottom first, each with
// its packages; base layers are marked so when baseDigest is set.
func putBuild(t *testing.T, store *inventory.Store, repo string, digest, index int, platform string, baseDigest int, layers ...[]sbom.Package) {
	t.Helper()
	doc := &sbom.Document{Image: sbom.Image{Name: repo, Digest: dg(digest), Platform: platform}}
	if baseDigest != 0 {
		doc.Image.BaseName, doc.Image.BaseDigest = "registry.test/golden/base:latest", dg(baseDigest)
	}
	for i, pkgs := range layers {
		// Layers are shared by diffID: each build's are its own here.
		doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{DiffID: dg(10000 + 10*digest + i), Digest: dg(20000 + 10*digest + i),
			Base: baseDigest != 0 && i < len(layers)-1})
		for _, p := range pkgs {
			p.Layer = i
			doc.Packages = append(doc.Packages, p)
		}
	}
	ref := inventory.ImageRef{Repository: repo}
	if index != 0 {
		ref.IndexDigest = dg(index)
	}
	if err := store.PutImage(context.Background(), doc, ref); err != nil {
		t.Fatal(err)
	}
}

// cacheDeb puts a .deb shipping changelog text into cache, as a rebuild
// would have downloaded it, and returns its SHA256 and size.
func cacheDeb(t *testing.T, cache *fetch.Cache, d debtest.Deb, text string) (string, int64) {
	t.Helper()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(text))
	w.Close()
	d.Files = append(d.Files, debtest.File{Path: "./usr/share/doc/" + d.Name + "/changelog.Debian.gz", Body: gz.Bytes()})
	b := debtest.BuildDeb(d)
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	p := cache.Path(sha)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return sha, int64(len(b))
}

// TestTargetCVEs: a fleet on three base builds (N-2, N-1 on two
// architectures, one without the changed packages), an application with
// images on it (depth 2) and bases the inventory does not know, after a
// refresh whose changelogs are synthetic: openssl (read by Refresh), x86
// (amd64 only) and zlib, which changed before N-1 and whose changelog only
// the download cache holds.
func TestTargetCVEs(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	cache, err := fetch.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const (
		ssl11, ssl13, ssl15 = "3.0.11-1~deb12u1", "3.0.13-1~deb12u1", "3.0.15-1~deb12u1"
		base                = "registry.test/golden/base"
	)
	zsha, zsize := cacheDeb(t, cache, debtest.Deb{Name: "libz", Version: "1.3-2", Source: "zlib"},
		upload("zlib", "1.3-2", "Fix CVE-2024-0700.")+upload("zlib", "1.3-1", "Fix CVE-2023-0600."))
	u := &LockUpdate{
		CVEs:     []string{"CVE-2024-0003", "CVE-2024-0500"}, // what N-1 -> N closes, as Refresh found
		readCVEs: true,
		New: &lock.Lock{Architectures: []lock.Arch{
			{Name: "amd64", Packages: []lock.Package{
				lockPkg("libq", "1.0-2", "amd64", "q", strings.Repeat("ab", 32), 100), // changelog nowhere
				lockPkg("libssl3", ssl15, "amd64", "openssl", "", 0),
				lockPkg("libx86", "2.0-2", "amd64", "x86", "", 0),
				lockPkg("libz", "1.3-2", "amd64", "zlib", zsha, zsize),
				lockPkg("tzdata", "2024a-1", "all", "tzdata", "", 0),
			}},
			{Name: "arm64", Packages: []lock.Package{
				lockPkg("libssl3", ssl15, "arm64", "openssl", "", 0),
				lockPkg("libz", "1.3-2", "arm64", "zlib", strings.Repeat("cd", 32), 100),
				lockPkg("tzdata", "2024a-1", "all", "tzdata", "", 0),
			}},
		}},
		changelogs: map[string][]changelog.Entry{
			"openssl\x00" + ssl15: parseLog(t, upload("openssl", ssl15, "Fix CVE-2024-0003.")+upload("openssl", "3.0.14-1~deb12u1", "No CVE.")+
				upload("openssl", ssl13, "Fix CVE-2024-0002.")+upload("openssl", ssl11, "Fix CVE-2023-0001.")),
			"x86\x002.0-2": parseLog(t, upload("x86", "2.0-2", "Fix CVE-2024-0500.")+upload("x86", "2.0-1", "Fix CVE-2023-0400.")),
		},
	}
	// Build N-2 (index 100), N-1 (index 200, amd64 and arm64), and a build
	// without the changed packages (400).
	putBuild(t, store, base, 102, 100, "linux/amd64", 0, []sbom.Package{
		debPkg("libssl3", ssl11, "amd64", "openssl"), debPkg("libx86", "2.0-1", "amd64", "x86"), debPkg("libz", "1.3-1", "amd64", "zlib"),
		debPkg("libq", "1.0-1", "amd64", "q"), debPkg("tzdata", "2024a-1", "all", "tzdata")})
	n1amd64 := []sbom.Package{debPkg("libssl3", ssl13, "amd64", "openssl"), debPkg("libx86", "2.0-1", "amd64", "x86"), debPkg("libz", "1.3-2", "amd64", "zlib")}
	putBuild(t, store, base, 202, 200, "linux/amd64", 0, n1amd64)
	putBuild(t, store, base, 203, 200, "linux/arm64", 0, []sbom.Package{debPkg("libssl3", ssl13, "arm64", "openssl"), debPkg("libz", "1.3-2", "arm64", "zlib")})
	putBuild(t, store, base, 402, 400, "linux/amd64", 0, []sbom.Package{debPkg("libz", "1.3-2", "amd64", "zlib"), debPkg("tzdata", "2024a-1", "all", "tzdata")})
	// An application on N-1 whose own layer installed an older libx86: a
	// rebase does not touch it.
	putBuild(t, store, "registry.test/apps/web", 11, 0, "linux/amd64", 202, n1amd64,
		[]sbom.Package{debPkg("libx86", "2.0-0", "amd64", "x86"), {Ecosystem: sbom.Npm, Name: "express", Version: "4.0.0", Layer: 1}})

	targets := []Target{
		{Image: "registry.test/apps/old:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(102)}},
		{Image: "registry.test/apps/new:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(202)}},
		{Image: "registry.test/apps/multi:1", Platforms: []string{"linux/amd64", "linux/arm64"}, BaseDigests: []string{dg(202), dg(203)}},
		{Image: "registry.test/apps/multi-by-index:1", Platforms: []string{"linux/amd64", "linux/arm64"}, BaseDigests: []string{dg(200)}},
		{Image: "registry.test/apps/arm:1", Platforms: []string{"linux/arm64"}, BaseDigests: []string{dg(203)}},
		{Image: "registry.test/apps/arm-by-index:1", Platforms: []string{"linux/arm64"}, BaseDigests: []string{dg(200)}},
		{Image: "registry.test/apps/static:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(402)}},
		{Image: "registry.test/apps/child:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(11)}},
		{Image: "registry.test/apps/unknown:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(999)}},
		{Image: "registry.test/apps/half-known:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(202), dg(998)}},
		{Image: "registry.test/apps/no-lineage:1", Platforms: []string{"linux/amd64"}},
		{Image: "registry.test/apps/done:1", Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(102)}, Skip: SkipOnNewBase},
	}
	var logs bytes.Buffer
	got, err := u.TargetCVEs(ctx, store, targets, WithCache(cache), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(targets) {
		t.Fatalf("%d targets back, want %d", len(got), len(targets))
	}
	if targets[0].CVEs != nil {
		t.Error("TargetCVEs changed its argument")
	}
	cves := map[string][]string{}
	for _, g := range got {
		cves[strings.TrimPrefix(g.Image, "registry.test/apps/")] = g.CVEs
	}
	tests := []struct {
		desc, image string
		want        []string
	}{
		{"build N-2: every CVE closed since it, zlib's from the cache", "old:1", []string{"CVE-2024-0002", "CVE-2024-0003", "CVE-2024-0500", "CVE-2024-0700"}},
		{"build N-1: the lock update's", "new:1", []string{"CVE-2024-0003", "CVE-2024-0500"}},
		{"both architectures of N-1", "multi:1", []string{"CVE-2024-0003", "CVE-2024-0500"}},
		{"both architectures, base named by its index", "multi-by-index:1", []string{"CVE-2024-0003", "CVE-2024-0500"}},
		{"arm64 has no libx86", "arm:1", []string{"CVE-2024-0003"}},
		{"arm64 of the index only", "arm-by-index:1", []string{"CVE-2024-0003"}},
		{"a build without the changed packages", "static:1", []string{}},
		{"depth 2: the app's base layers, not its own libx86", "child:1", []string{"CVE-2024-0003", "CVE-2024-0500"}},
		{"unknown base: the lock update's", "unknown:1", u.CVEs},
		{"one base build unknown: the lock update's", "half-known:1", u.CVEs},
		{"no base digest: the lock update's", "no-lineage:1", u.CVEs},
		{"skipped: left alone", "done:1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			g := cves[tt.image]
			if !slices.Equal(g, tt.want) || (g == nil) != (tt.want == nil) {
				t.Errorf("%s closes %q, want %q", tt.image, g, tt.want)
			}
		})
	}
	for _, c := range cves["new:1"] {
		if !slices.Contains(cves["old:1"], c) {
			t.Errorf("the image on N-2 does not close %s, which the one on N-1 does", c)
		}
	}
	for _, want := range []string{"registry.test/apps/unknown:1", dg(999) + " is not in the inventory", "no-lineage:1", "libq 1.0-2"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not mention %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), "apps/new:1") {
		t.Errorf("the log reports a fallback for an image on a known build:\n%s", logs.String())
	}

	t.Run("no changelogs read", func(t *testing.T) {
		off := *u
		off.readCVEs = false
		got, err := off.TargetCVEs(ctx, store, targets[:1], WithCache(cache))
		if err != nil || got[0].CVEs != nil {
			t.Errorf("got %+v, %v; want the targets as they were", got, err)
		}
	})
}

// TestRefreshTargetCVEs: Refresh on a hermetic archive keeps the changelog
// it read, and TargetCVEs answers from it alone (its download cache is
// empty) for images on two builds of the base.
func TestRefreshTargetCVEs(t *testing.T) {
	ctx := context.Background()
	r := debtest.NewRepo(t)
	r.Add("stable", "main", debtest.Deb{Name: "libssl3", Version: "3.0.13-1~deb12u1", Source: "openssl"})
	r.Add("stable-security", "main", debtest.Deb{Name: "placeholder", Version: "1", Arch: "all"})
	dir := t.TempDir()
	specPath := filepath.Join(dir, "ingot.yaml")
	text := `name: registry.test/golden/base
owner:
  team: platform
  contact: platform@example.com
source:
  mirror: ` + r.URL() + `
  suites: [stable, stable-security]
  components: [main]
  keyring: ` + r.Key().KeyringFile(t) + `
architectures: [amd64]
layers:
  - name: os
    packages: [libssl3]
`
	if err := os.WriteFile(specPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(specPath)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := fetch.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	first, err := Refresh(ctx, s, "", WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if err := first.New.WriteFile(Lockfile(s)); err != nil {
		t.Fatal(err)
	}
	var gzLog bytes.Buffer
	w := gzip.NewWriter(&gzLog)
	w.Write([]byte(upload("openssl", "3.0.15-1~deb12u1", "Fix CVE-2024-0003.") + upload("openssl", "3.0.13-1~deb12u1", "Fix CVE-2024-0002.")))
	w.Close()
	r.Add("stable-security", "main", debtest.Deb{Name: "libssl3", Version: "3.0.15-1~deb12u1", Source: "openssl",
		Files: []debtest.File{{Path: "./usr/share/doc/libssl3/changelog.Debian.gz", Body: gzLog.Bytes()}}})
	u, err := Refresh(ctx, s, "", WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.CVEs, []string{"CVE-2024-0003"}) {
		t.Fatalf("the lock update closes %v, want CVE-2024-0003", u.CVEs)
	}

	store := openStore(t)
	putBuild(t, store, "registry.test/golden/base", 2, 0, "linux/amd64", 0, []sbom.Package{debPkg("libssl3", "3.0.13-1~deb12u1", "amd64", "openssl")})
	putBuild(t, store, "registry.test/golden/base", 1, 0, "linux/amd64", 0, []sbom.Package{debPkg("libssl3", "3.0.11-1~deb12u1", "amd64", "openssl")})
	empty, err := fetch.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.TargetCVEs(ctx, store, []Target{
		{Image: "registry.test/apps/new:1", BaseDigests: []string{dg(2)}},
		{Image: "registry.test/apps/old:1", BaseDigests: []string{dg(1)}},
	}, WithCache(empty))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0].CVEs, u.CVEs) || !slices.Equal(got[1].CVEs, []string{"CVE-2024-0002", "CVE-2024-0003"}) {
		t.Errorf("new:1 closes %v, old:1 %v; want %v and CVE-2024-0002 too", got[0].CVEs, got[1].CVEs, u.CVEs)
	}
}

// BenchmarkTargetCVEs: 1,000 images on three builds of a base of 300
// packages; the inventory is read once per build.
func BenchmarkTargetCVEs(b *testing.B) {
	ctx := context.Background()
	store := openStore(b)
	var newLock []lock.Package
	entries := map[string][]changelog.Entry{}
	for build := 1; build <= 3; build++ {
		var pkgs []sbom.Package
		for i := range 300 {
			pkgs = append(pkgs, debPkg(fmt.Sprintf("pkg%d", i), fmt.Sprintf("1.%d-1", build), "amd64", fmt.Sprintf("src%d", i)))
		}
		doc := &sbom.Document{Image: sbom.Image{Name: "registry.test/golden/base", Digest: dg(build), Platform: "linux/amd64",
			Layers: []sbom.Layer{{DiffID: dg(100 + build), Digest: dg(200 + build)}}}, Packages: pkgs}
		if err := store.PutImage(ctx, doc, inventory.ImageRef{}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 300 {
		p := lockPkg(fmt.Sprintf("pkg%d", i), "1.4-1", "amd64", fmt.Sprintf("src%d", i), "", 0)
		newLock = append(newLock, p)
		if i%10 == 0 {
			var text strings.Builder
			for v := 4; v >= 1; v-- {
				text.WriteString(upload(p.Source, fmt.Sprintf("1.%d-1", v), fmt.Sprintf("Fix CVE-2024-%d%04d.", v, i)))
			}
			e, err := changelog.Parse(strings.NewReader(text.String()))
			if err != nil {
				b.Fatal(err)
			}
			entries[sourceKey(p)] = e
		}
	}
	u := &LockUpdate{readCVEs: true, changelogs: entries, New: &lock.Lock{Architectures: []lock.Arch{{Name: "amd64", Packages: newLock}}}}
	targets := make([]Target, 1000)
	for i := range targets {
		targets[i] = Target{Image: fmt.Sprintf("registry.test/apps/app%d:1", i), Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(1 + i%3)}}
	}
	for b.Loop() {
		got, err := u.TargetCVEs(ctx, store, targets)
		if err != nil || len(got[0].CVEs) != 90 {
			b.Fatalf("%v: %d CVEs", err, len(got[0].CVEs))
		}
	}
}
