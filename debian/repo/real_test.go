package repo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// realClient returns a client over the user's download cache for the
// machine's apt source. It skips t (fails it in CI, testenv.Unmet) when the
// machine has no mirror or keyring.
func realClient(t *testing.T) (*Client, Source) {
	t.Helper()
	testenv.RequireNetwork(t)
	src, err := SystemSource()
	if err != nil {
		testenv.Unmet(t, "no Debian mirror on this machine: %v", err)
	}
	if _, err := os.Stat(src.KeyringPath()); err != nil {
		testenv.Unmet(t, "Debian archive keyring missing (install debian-archive-keyring): %v", err)
	}
	dir, err := fetch.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := fetch.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return New(cache), src
}

// TestRealArchive reads the machine's apt configuration and verifies the real
// Debian archive with the machine's keyring. Indexes go through the user's
// download cache, so reruns fetch only the InRelease files.
func TestRealArchive(t *testing.T) {
	c, src := realClient(t)
	src.Suites = []string{"bookworm", "bookworm-updates", "bookworm-security"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	rel, err := c.Release(ctx, src, "bookworm-security")
	if err != nil {
		var verr interface{ Timeout() bool }
		if errors.Is(err, ErrBadSignature) || errors.Is(err, ErrExpired) || errors.Is(err, ErrWrongSuite) || errors.Is(err, ErrMalformedRelease) || errors.As(err, &verr) && !verr.Timeout() {
			t.Fatal(err)
		}
		testenv.Unmet(t, "Debian mirror unreachable: %v", err)
		return
	}
	if rel.Date.IsZero() || rel.ValidUntil.IsZero() || rel.Signer == "" || rel.Codename != "bookworm-security" {
		t.Errorf("bookworm-security Release: Date %v, Valid-Until %v, signer %q, codename %q", rel.Date, rel.ValidUntil, rel.Signer, rel.Codename)
	}

	start := time.Now()
	snap, err := c.Snapshot(ctx, src, "amd64", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot of %v for amd64 and arm64 in %v, dated %v", src.Suites, time.Since(start).Round(time.Millisecond), snap.Date())
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			ix := snap.Indexes[arch]
			t.Logf("%s: %d package records", arch, ix.Len())
			if ix.Len() < 50000 {
				t.Errorf("only %d package records", ix.Len())
			}
			for _, name := range []string{"libc6", "libssl3", "tzdata"} {
				p := ix.Candidate(name)
				if p == nil {
					t.Errorf("no candidate for %s", name)
					continue
				}
				if len(p.SHA256) != 64 || p.Size <= 0 || p.Filename == "" || (p.Architecture != arch && p.Architecture != "all") {
					t.Errorf("%s: incomplete record %+v", name, p)
				}
				t.Logf("%s candidate: %s from %s", name, p, p.Suite)
			}
			// A security update, when there is one, beats the point release.
			var best, bestSec *debian.Package
			for _, p := range ix.Versions("libssl3") {
				switch p.Suite {
				case "bookworm":
					if best == nil || p.Version.Compare(best.Version) > 0 {
						best = p
					}
				case "bookworm-security":
					if bestSec == nil || p.Version.Compare(bestSec.Version) > 0 {
						bestSec = p
					}
				}
			}
			if best == nil {
				t.Fatal("libssl3 missing from bookworm")
			}
			if bestSec != nil && bestSec.Version.Compare(best.Version) > 0 {
				if got := ix.Candidate("libssl3"); got.Suite != "bookworm-security" {
					t.Errorf("libssl3 candidate %s from %s, want %s from bookworm-security", got, got.Suite, bestSec.Version)
				}
			}
		})
	}

	t.Run("download a package", func(t *testing.T) {
		p := snap.Indexes["amd64"].Candidate("netbase")
		if p == nil {
			t.Fatal("no netbase in bookworm")
		}
		path, err := c.cache.Get(ctx, fetch.Item{URL: c.PackageURL(src, p), Size: p.Size, SHA256: p.SHA256, Name: p.String()})
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() != p.Size {
			t.Fatalf("cached %s: %v, size %v, want %d", path, err, fi, p.Size)
		}
	})
}

// TestRealIndexParsedCache reads the real bookworm main amd64 index (63k
// records) through the parsed-index cache and checks that both the cached
// form and what Packages returns equal, record for record, what ingot's
// reference parser (a ControlReader and PackageFromParagraph per record)
// makes of the verified index.
func TestRealIndexParsedCache(t *testing.T) {
	c, src := realClient(t)
	src.Suites = []string{"bookworm"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rel, err := c.Release(ctx, src, "bookworm")
	if err != nil {
		testenv.Unmet(t, "Debian mirror unreachable: %v", err)
		return
	}
	fi, ok := rel.Files["main/binary-amd64/Packages"]
	if !ok {
		t.Fatal("bookworm's Release lists no uncompressed main/binary-amd64/Packages")
	}
	got, err := c.Packages(ctx, src, rel, "bookworm", "main", "amd64")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.cache.Path(fi.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	want, err := referenceParse(bytes.NewReader(data), "bookworm", "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 50000 {
		t.Fatalf("only %d records in bookworm main", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Packages gave %d records that differ from the reference parser's %d", len(got), len(want))
	}
	got = nil
	cached, err := c.loadParsed(fi.SHA256, string(data), "bookworm", "main")
	if err != nil {
		t.Fatalf("no usable parsed-index cache entry after Packages: %v", err)
	}
	if !reflect.DeepEqual(cached, want) {
		t.Fatalf("the parsed-index cache gave %d records that differ from the reference parser's %d", len(cached), len(want))
	}
}
