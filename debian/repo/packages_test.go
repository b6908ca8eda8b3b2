package repo

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/debtest"
)

func TestIndexBadIndex(t *testing.T) {
	const xzPath = "dists/bookworm-security/main/binary-amd64/Packages.xz"
	for _, tc := range []struct {
		desc    string
		setup   func(r *debtest.Repo)
		wantErr error
		wantMsg []string
	}{
		{"hash mismatch (same size)", func(r *debtest.Repo) { r.CorruptFile(xzPath) }, fetch.ErrDigestMismatch,
			[]string{xzPath, "sha256"}},
		{"size mismatch", func(r *debtest.Repo) { r.ReplaceFile(xzPath, append(r.File(xzPath), 0)) }, fetch.ErrSizeMismatch,
			[]string{xzPath}},
		{"index missing everywhere", func(r *debtest.Repo) {
			r.FailNext(xzPath, 100, http.StatusNotFound)
			r.FailNext(strings.TrimSuffix(xzPath, ".xz")+".gz", 100, http.StatusNotFound)
		}, nil, []string{"Packages.gz", "404"}},
		{"mirror down for the index", func(r *debtest.Repo) { r.FailNext(xzPath, 100, http.StatusServiceUnavailable) }, nil,
			[]string{"giving up after 3 attempts", xzPath}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := archive(t)
			r.URL()
			tc.setup(r)
			c, cache := newTestClient(t)
			_, err := c.Index(context.Background(), sourceFor(t, r, allSuites...), "amd64")
			if err == nil {
				t.Fatal("accepted a bad index")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			for _, s := range tc.wantMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			// The good suites' indexes may be cached; the bad one must not be.
			for _, f := range cachedFiles(t, cache) {
				if strings.Contains(f, ".tmp") || strings.Contains(f, "tmp-") {
					t.Errorf("temporary file left in the cache: %s", f)
				}
			}
			rel, err := c.Release(context.Background(), sourceFor(t, r, allSuites...), "bookworm-security")
			if err != nil {
				t.Fatal(err)
			}
			fi := rel.Files["main/binary-amd64/Packages.xz"]
			if _, err := osStat(cache.Path(fi.SHA256)); err == nil {
				t.Errorf("bad index entered the cache at %s", cache.Path(fi.SHA256))
			}
			// Only the good suites' entries (compressed, decompressed, parsed) may be cached.
			want := map[string]bool{}
			for _, s := range allSuites[:2] {
				rel, err := c.Release(context.Background(), sourceFor(t, r, allSuites...), s)
				if err != nil {
					t.Fatal(err)
				}
				want[cache.Path(rel.Files["main/binary-amd64/Packages.xz"].SHA256)] = true
				want[cache.Path(rel.Files["main/binary-amd64/Packages"].SHA256)] = true
				want[c.parsedPath(rel.Files["main/binary-amd64/Packages"].SHA256)] = true
			}
			for _, f := range cachedFiles(t, cache) {
				if !want[f] {
					t.Errorf("unexpected file in the cache: %s", f)
				}
			}
		})
	}
}

func TestIndexGzipFallback(t *testing.T) {
	for _, tc := range []struct {
		desc  string
		setup func(r *debtest.Repo)
	}{
		{"xz not listed", func(r *debtest.Repo) { r.SetIndexCompressions("gz") }},
		{"xz listed but not served", func(r *debtest.Repo) {
			for _, s := range allSuites {
				r.FailNext("dists/"+s+"/main/binary-amd64/Packages.xz", 100, http.StatusNotFound)
			}
		}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := archive(t)
			tc.setup(r)
			c, _ := newTestClient(t)
			ix, err := c.Index(context.Background(), sourceFor(t, r, allSuites...), "amd64")
			if err != nil {
				t.Fatal(err)
			}
			if p := ix.Candidate("libssl3"); p == nil || p.Suite != "bookworm-security" {
				t.Fatalf("libssl3 candidate = %v, want the bookworm-security one", p)
			}
			for _, s := range allSuites {
				if n := r.Requests("dists/" + s + "/main/binary-amd64/Packages.gz"); n != 1 {
					t.Errorf("%s Packages.gz fetched %d times, want 1", s, n)
				}
			}
		})
	}
}

func TestIndexBoundsDecompressedSize(t *testing.T) {
	r := archive(t)
	c, _ := newTestClient(t, WithMaxIndex(100))
	_, err := c.Index(context.Background(), sourceFor(t, r, "bookworm"), "amd64")
	if !errors.Is(err, ErrIndexTooLarge) {
		t.Fatalf("err = %v, want ErrIndexTooLarge", err)
	}
}

func TestParsePackages(t *testing.T) {
	in := "Package: a\nVersion: 1\nArchitecture: all\n\nPackage: b\nVersion: 2\nArchitecture: amd64\nDepends: a\n"
	pkgs, err := ParsePackages(strings.NewReader(in), "bookworm", "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 2 || pkgs[1].Name != "b" || pkgs[1].Suite != "bookworm" || pkgs[1].Component != "main" {
		t.Fatalf("parsed %+v", pkgs)
	}
	if _, err := ParsePackages(strings.NewReader("Package: a\nVersion: !!\n"), "s", "c"); err == nil {
		t.Error("accepted a record with a bad version")
	}
	_ = debian.NewIndex
}

func TestIndexCorruptDecompressedCacheEntry(t *testing.T) {
	r := archive(t)
	c, cache := newTestClient(t)
	src := sourceFor(t, r, "bookworm")
	if _, err := c.Index(context.Background(), src, "amd64"); err != nil {
		t.Fatal(err)
	}
	rel, err := c.Release(context.Background(), src, "bookworm")
	if err != nil {
		t.Fatal(err)
	}
	plain := rel.Files["main/binary-amd64/Packages"]
	if err := os.WriteFile(cache.Path(plain.SHA256), []byte("Package: evil\nVersion: 9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := c.Index(context.Background(), src, "amd64")
	if err != nil {
		t.Fatal(err)
	}
	if ix.Candidate("evil") != nil || ix.Candidate("libssl3") == nil {
		t.Fatal("a corrupt cache entry was parsed")
	}
	if n := r.Requests("dists/bookworm/main/binary-amd64/Packages.xz"); n != 1 {
		t.Errorf("Packages.xz fetched %d times, want 1 (the verified copy is still cached)", n)
	}
}

func TestIndexAcquireByHash(t *testing.T) {
	for _, tc := range []struct {
		desc        string
		byHashFails bool
	}{
		{"indexes fetched by hash", false},
		{"by-hash path missing: plain path used", true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := archive(t)
			r.SetAcquireByHash(true)
			c, _ := newTestClient(t)
			src := sourceFor(t, r, "bookworm")
			rel, err := c.Release(context.Background(), src, "bookworm")
			if err != nil {
				t.Fatal(err)
			}
			if !rel.AcquireByHash {
				t.Fatal("Release does not offer Acquire-By-Hash")
			}
			byHash := "dists/bookworm/main/binary-amd64/by-hash/SHA256/" + rel.Files["main/binary-amd64/Packages.xz"].SHA256
			if tc.byHashFails {
				r.FailNext(byHash, 100, http.StatusNotFound)
			}
			ix, err := c.Index(context.Background(), src, "amd64")
			if err != nil {
				t.Fatal(err)
			}
			if ix.Candidate("libc6") == nil {
				t.Fatal("no libc6")
			}
			wantPlain := 0
			if tc.byHashFails {
				wantPlain = 1
			}
			if n := r.Requests(byHash); n != 1 {
				t.Errorf("by-hash path requested %d times, want 1", n)
			}
			if n := r.Requests("dists/bookworm/main/binary-amd64/Packages.xz"); n != wantPlain {
				t.Errorf("plain path requested %d times, want %d", n, wantPlain)
			}
		})
	}
}
