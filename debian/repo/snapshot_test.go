package repo

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/internal/debtest"
)

// archive is a bookworm-like repository: a point release, updates and
// security, where libssl3 and libc6 have newer versions in later suites and
// "same" has the very same version in two suites.
func archive(t *testing.T) *debtest.Repo {
	r := debtest.NewRepo(t)
	r.SetArchitectures("arm64")
	r.Add("bookworm", "main",
		debtest.Deb{Name: "libc6", Version: "2.36-9+deb12u9", Source: "glibc"},
		debtest.Deb{Name: "libc6", Version: "2.36-9+deb12u9", Arch: "arm64", Source: "glibc"},
		debtest.Deb{Name: "libssl3", Version: "3.0.15-1~deb12u1", Source: "openssl",
			Control: map[string]string{"Depends": "libc6 (>= 2.34)", "Multi-Arch": "same"}},
		debtest.Deb{Name: "tzdata", Version: "2024a-0+deb12u1", Arch: "all"},
		debtest.Deb{Name: "same", Version: "1.0-1"},
	)
	r.Add("bookworm", "contrib", debtest.Deb{Name: "extra", Version: "1"})
	r.Add("bookworm-updates", "main",
		debtest.Deb{Name: "tzdata", Version: "2025b-0+deb12u1", Arch: "all"},
		debtest.Deb{Name: "same", Version: "1.0-1"},
	)
	r.Add("bookworm-security", "main",
		debtest.Deb{Name: "libssl3", Version: "3.0.16-1~deb12u1", Source: "openssl",
			Control: map[string]string{"Depends": "libc6 (>= 2.34)", "Multi-Arch": "same"}},
		debtest.Deb{Name: "libc6", Version: "2.36-9+deb12u8", Source: "glibc"},
	)
	return r
}

var allSuites = []string{"bookworm", "bookworm-updates", "bookworm-security"}

func TestIndexCandidates(t *testing.T) {
	r := archive(t)
	c, _ := newTestClient(t)
	ix, err := c.Index(context.Background(), sourceFor(t, r, allSuites...), "amd64")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		desc, name, version, suite string
	}{
		{"security update beats the point release", "libssl3", "3.0.16-1~deb12u1", "bookworm-security"},
		{"point release beats an older security version", "libc6", "2.36-9+deb12u9", "bookworm"},
		{"updates beat the point release for arch all", "tzdata", "2025b-0+deb12u1", "bookworm-updates"},
		{"equal versions: the earlier suite wins", "same", "1.0-1", "bookworm"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			p := ix.Candidate(tc.name)
			if p == nil {
				t.Fatalf("no candidate for %s", tc.name)
			}
			if p.Version.String() != tc.version || p.Suite != tc.suite || p.Component != "main" {
				t.Fatalf("candidate = %s from %s/%s, want %s from %s/main", p, p.Suite, p.Component, tc.version, tc.suite)
			}
			path, sum, size := r.Deb(p.Name, tc.version, p.Architecture)
			if p.Filename != path || p.SHA256 != sum || p.Size != size {
				t.Errorf("pool entry %s %s %d, want %s %s %d", p.Filename, p.SHA256, p.Size, path, sum, size)
			}
		})
	}
	if ix.Candidate("extra") != nil {
		t.Error("contrib was read although only main was asked for")
	}
	if got := len(ix.Versions("libc6")); got != 2 {
		t.Errorf("libc6 has %d amd64 versions, want 2 (the arm64 one must not be in the amd64 index)", got)
	}
	if ssl := ix.Candidate("libssl3"); ssl.MultiArch != "same" || len(ssl.Depends) != 1 || ssl.Source != "openssl" {
		t.Errorf("libssl3 record lost fields: %+v", ssl)
	}
}

func TestIndexComponentsAndArch(t *testing.T) {
	r := archive(t)
	c, _ := newTestClient(t)
	src := sourceFor(t, r, "bookworm")
	src.Components = []string{"main", "contrib"}
	ix, err := c.Index(context.Background(), src, "arm64")
	if err != nil {
		t.Fatal(err)
	}
	if p := ix.Candidate("libc6"); p == nil || p.Architecture != "arm64" {
		t.Errorf("arm64 libc6 = %v", p)
	}
	if ix.Candidate("extra") != nil {
		t.Error("an amd64-only package appeared in the arm64 index")
	}
	if p := ix.Candidate("tzdata"); p == nil || p.Architecture != "all" {
		t.Errorf("arch-all tzdata missing from the arm64 index: %v", p)
	}
	if _, err := c.Index(context.Background(), src, "riscv64"); !errors.Is(err, ErrNotListed) || !strings.Contains(err.Error(), "riscv64") {
		t.Errorf("unknown architecture: err = %v, want ErrNotListed naming riscv64", err)
	}
	src.Components = []string{"non-free"}
	if _, err := c.Index(context.Background(), src, "amd64"); !errors.Is(err, ErrNotListed) {
		t.Errorf("unknown component: err = %v, want ErrNotListed", err)
	}
}

func TestIndexWarmCacheFetchesOnlyInRelease(t *testing.T) {
	r := archive(t)
	c, cache := newTestClient(t)
	src := sourceFor(t, r, allSuites...)
	for i := range 2 {
		if _, err := c.Index(context.Background(), src, "amd64"); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	// A second client on the same cache, as a new process would be.
	if _, err := New(cache).Index(context.Background(), src, "amd64"); err != nil {
		t.Fatal(err)
	}
	for _, s := range allSuites {
		rel, err := c.Release(context.Background(), src, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(cache.Path(rel.Files["main/binary-amd64/Packages"].SHA256)); err != nil {
			t.Errorf("%s: decompressed index not kept in the cache: %v", s, err)
		}
		if n := r.Requests("dists/" + s + "/main/binary-amd64/Packages"); n != 0 {
			t.Errorf("%s uncompressed Packages requested %d times, want 0", s, n)
		}
		if n := r.Requests("dists/" + s + "/InRelease"); n != 4 {
			t.Errorf("%s InRelease fetched %d times, want 4 (3 indexes, 1 check)", s, n)
		}
		if n := r.Requests("dists/" + s + "/main/binary-amd64/Packages.xz"); n != 1 {
			t.Errorf("%s Packages.xz fetched %d times, want 1 (then from the cache)", s, n)
		}
		if n := r.Requests("dists/" + s + "/main/binary-amd64/Packages.gz"); n != 0 {
			t.Errorf("%s Packages.gz fetched %d times, want 0", s, n)
		}
	}
}

func TestIndexSecurityMirror(t *testing.T) {
	main, sec := debtest.NewRepo(t), debtest.NewRepo(t)
	main.Add("bookworm", "main", debtest.Deb{Name: "libssl3", Version: "3.0.15-1"})
	sec.Add("bookworm-security", "main", debtest.Deb{Name: "libssl3", Version: "3.0.16-1"})
	sec.SignWith(main.Key()) // one keyring for both, as Debian's
	c, _ := newTestClient(t)
	src := Source{Mirror: main.URL(), SecurityMirror: sec.URL() + "/", Suites: []string{"bookworm", "bookworm-security"}, Keyring: main.Key().KeyringFile(t)}
	ix, err := c.Index(context.Background(), src, "amd64")
	if err != nil {
		t.Fatal(err)
	}
	p := ix.Candidate("libssl3")
	if p.Version.String() != "3.0.16-1" {
		t.Fatalf("candidate %s, want 3.0.16-1", p)
	}
	if got, want := c.PackageURL(src, p), sec.URL()+"/"+p.Filename; got != want {
		t.Errorf("PackageURL = %s, want %s", got, want)
	}
	if main.Requests("dists/bookworm-security/InRelease") != 0 {
		t.Error("the security suite was fetched from the main mirror")
	}
}

func TestSnapshot(t *testing.T) {
	r := archive(t)
	r.SetDate(debtest.DefaultDate)
	c, _ := newTestClient(t)
	snap, err := c.Snapshot(context.Background(), sourceFor(t, r, allSuites...), "amd64", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range allSuites {
		if n := r.Requests("dists/" + s + "/InRelease"); n != 1 {
			t.Errorf("%s InRelease fetched %d times for two architectures, want 1", s, n)
		}
		if snap.Releases[s] == nil || snap.Releases[s].Suite != s {
			t.Errorf("Releases[%s] = %+v", s, snap.Releases[s])
		}
	}
	if !snap.Date().Equal(debtest.DefaultDate) {
		t.Errorf("Date = %v, want %v", snap.Date(), debtest.DefaultDate)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		ix := snap.Indexes[arch]
		if ix == nil || ix.Arch != arch {
			t.Fatalf("no %s index", arch)
		}
		if p := ix.Candidate("libc6"); p == nil || p.Architecture != arch {
			t.Errorf("%s: libc6 candidate %v", arch, p)
		}
	}
	if _, err := c.Snapshot(context.Background(), sourceFor(t, r, "bookworm")); err == nil {
		t.Error("Snapshot without an architecture succeeded")
	}
}

func TestIndexSeparateArchAll(t *testing.T) {
	r := debtest.NewRepo(t)
	r.SeparateArchAll()
	r.Add("buster", "main",
		debtest.Deb{Name: "libc6", Version: "2.28-10"},
		debtest.Deb{Name: "tzdata", Version: "2024a-0+deb10u1", Arch: "all"},
	)
	c, _ := newTestClient(t)
	src := sourceFor(t, r, "buster")
	ix, err := c.Index(context.Background(), src, "amd64")
	if err != nil {
		t.Fatal(err)
	}
	if ix.Candidate("libc6") == nil {
		t.Error("no libc6 from binary-amd64")
	}
	if p := ix.Candidate("tzdata"); p == nil || p.Architecture != "all" {
		t.Fatalf("tzdata from binary-all = %v", p)
	}
	if got := len(ix.Versions("tzdata")); got != 1 {
		t.Errorf("tzdata listed %d times, want 1", got)
	}
	if r.Requests("dists/buster/main/binary-all/Packages.xz") != 1 {
		t.Error("binary-all index not fetched")
	}
}

func TestMergeRecords(t *testing.T) {
	pkg := func(name, ver, arch string) *debian.Package {
		return &debian.Package{Name: name, Version: debian.MustParseVersion(ver), Architecture: arch}
	}
	a := []*debian.Package{pkg("tzdata", "1", "all"), pkg("libc6", "2", "amd64")}
	b := []*debian.Package{pkg("tzdata", "1", "all"), pkg("tzdata", "2", "all")}
	got := mergeRecords(a, b)
	if len(got) != 3 || got[2].Version.String() != "2" {
		t.Fatalf("merged %v, want the first two and tzdata 2", got)
	}
}
