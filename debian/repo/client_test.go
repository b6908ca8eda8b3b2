package repo

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/debtest"
)

var fixedNow = debtest.DefaultDate.Add(24 * time.Hour)

func TestRelease(t *testing.T) {
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main", debtest.Deb{Name: "hello", Version: "1.0"})
	r.SetReleaseField("Version", "12.11")
	c, _ := newTestClient(t, WithNow(func() time.Time { return fixedNow }))
	src := sourceFor(t, r, "bookworm")
	rel, err := c.Release(context.Background(), src, "bookworm")
	if err != nil {
		t.Fatal(err)
	}
	if !rel.Date.Equal(debtest.DefaultDate) || rel.Suite != "bookworm" || rel.Version != "12.11" {
		t.Errorf("Release = %+v", rel)
	}
	if rel.Signer != r.Key().Fingerprint() {
		t.Errorf("Signer = %s, want %s", rel.Signer, r.Key().Fingerprint())
	}
	if rel.URL != r.URL()+"/dists/bookworm/InRelease" {
		t.Errorf("URL = %s", rel.URL)
	}
	if _, ok := rel.Files["main/binary-amd64/Packages.xz"]; !ok {
		t.Errorf("Files lacks main/binary-amd64/Packages.xz: %v", rel.Files)
	}
}

func TestReleaseArmouredKeyring(t *testing.T) {
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main", debtest.Deb{Name: "hello", Version: "1.0"})
	p := filepath.Join(t.TempDir(), "key.asc")
	if err := os.WriteFile(p, r.Key().ArmoredPublic(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := newTestClient(t)
	src := Source{Mirror: r.URL(), Suites: []string{"bookworm"}, Keyring: p}
	if _, err := c.Release(context.Background(), src, "bookworm"); err != nil {
		t.Fatalf("armoured keyring: %v", err)
	}
}

func TestReleaseRejects(t *testing.T) {
	validUntil := debtest.DefaultDate.Add(7 * 24 * time.Hour)
	for _, tc := range []struct {
		desc      string
		setup     func(t *testing.T, r *debtest.Repo)
		now       time.Time
		allowExp  bool
		wantErr   error // nil: must succeed
		wantInMsg []string
	}{
		{"unsigned InRelease", func(t *testing.T, r *debtest.Repo) { r.Unsigned() }, fixedNow, false, ErrBadSignature,
			[]string{"not signed by a key in", "check the keyring or the mirror", "/dists/bookworm/InRelease"}},
		{"signed by another key", func(t *testing.T, r *debtest.Repo) { r.SignWith(debtest.NewKey(t)) }, fixedNow, false, ErrBadSignature,
			[]string{"not in the keyring"}},
		{"signature over other text", func(t *testing.T, r *debtest.Repo) { r.TamperInRelease() }, fixedNow, false, ErrBadSignature, nil},
		{"unsigned text before the signed message", func(t *testing.T, r *debtest.Repo) {
			in := r.File("dists/bookworm/InRelease")
			r.ReplaceFile("dists/bookworm/InRelease", append([]byte("Suite: evil\n\n"), in...))
		}, fixedNow, false, ErrBadSignature, nil},
		{"unsigned text after the signed message", func(t *testing.T, r *debtest.Repo) {
			in := r.File("dists/bookworm/InRelease")
			r.ReplaceFile("dists/bookworm/InRelease", append(in, []byte("\nSHA256:\n x 1 y\n")...))
		}, fixedNow, false, ErrBadSignature, nil},
		{"expired Release", func(t *testing.T, r *debtest.Repo) { r.SetValidUntil(validUntil) }, validUntil.Add(time.Second), false, ErrExpired,
			[]string{"2025-05-27", "--allow-expired"}},
		{"expired Release allowed for a snapshot", func(t *testing.T, r *debtest.Repo) { r.SetValidUntil(validUntil) }, validUntil.Add(time.Hour), true, nil, nil},
		{"Release still valid", func(t *testing.T, r *debtest.Repo) { r.SetValidUntil(validUntil) }, validUntil.Add(-time.Second), false, nil, nil},
		{"Release dated in the future", func(t *testing.T, r *debtest.Repo) {}, debtest.DefaultDate.Add(-time.Hour), false, ErrNotYetValid, nil},
		{"another suite's Release replayed", func(t *testing.T, r *debtest.Repo) {
			r.Add("bookworm-updates", "main", debtest.Deb{Name: "hello", Version: "1.1"})
			r.ReplaceFile("dists/bookworm/InRelease", r.File("dists/bookworm-updates/InRelease"))
		}, fixedNow, false, ErrWrongSuite, []string{"bookworm-updates"}},
		{"mirror down", func(t *testing.T, r *debtest.Repo) {
			r.FailNext("dists/bookworm/InRelease", 100, http.StatusServiceUnavailable)
		}, fixedNow, false, nil,
			[]string{"giving up after 3 attempts", "/dists/bookworm/InRelease", "503"}},
		{"suite missing on the mirror", func(t *testing.T, r *debtest.Repo) {
			r.ReplaceFile("dists/bookworm/InRelease", nil)
			r.ReplaceFile("dists/bookworm/Release", nil)
		}, fixedNow, false, nil, []string{"404", "/dists/bookworm/InRelease", "suite bookworm is not on the mirror"}},
		{"no InRelease: Release and Release.gpg", func(t *testing.T, r *debtest.Repo) { r.ReplaceFile("dists/bookworm/InRelease", nil) }, fixedNow, false, nil, nil},
		{"no InRelease and no Release.gpg", func(t *testing.T, r *debtest.Repo) {
			r.ReplaceFile("dists/bookworm/InRelease", nil)
			r.ReplaceFile("dists/bookworm/Release.gpg", nil)
		}, fixedNow, false, ErrBadSignature, []string{"unsigned", "/dists/bookworm/Release"}},
		{"no InRelease, Release.gpg by another key", func(t *testing.T, r *debtest.Repo) {
			r.ReplaceFile("dists/bookworm/InRelease", nil)
			r.ReplaceFile("dists/bookworm/Release.gpg", debtest.NewKey(t).DetachSign(r.File("dists/bookworm/Release")))
		}, fixedNow, false, ErrBadSignature, []string{"not in the keyring"}},
		{"no InRelease, Release changed after signing", func(t *testing.T, r *debtest.Repo) {
			r.ReplaceFile("dists/bookworm/InRelease", nil)
			r.ReplaceFile("dists/bookworm/Release", append(r.File("dists/bookworm/Release"), " 00 1 x\n"...))
		}, fixedNow, false, ErrBadSignature, nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := debtest.NewRepo(t)
			r.Add("bookworm", "main", debtest.Deb{Name: "hello", Version: "1.0"})
			tc.setup(t, r)
			c, _ := newTestClient(t, WithNow(func() time.Time { return tc.now }))
			src := sourceFor(t, r, "bookworm")
			src.AllowExpired = tc.allowExp
			rel, err := c.Release(context.Background(), src, "bookworm")
			wantFail := tc.wantErr != nil || len(tc.wantInMsg) > 0
			if !wantFail {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if rel.Suite != "bookworm" {
					t.Fatalf("Suite = %q", rel.Suite)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted bad input")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			for _, s := range tc.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestReleaseRetriesThenSucceeds(t *testing.T) {
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main", debtest.Deb{Name: "hello", Version: "1.0"})
	r.FailNext("dists/bookworm/InRelease", 2, http.StatusBadGateway)
	c, _ := newTestClient(t)
	if _, err := c.Release(context.Background(), sourceFor(t, r, "bookworm"), "bookworm"); err != nil {
		t.Fatal(err)
	}
	if n := r.Requests("dists/bookworm/InRelease"); n != 3 {
		t.Errorf("InRelease requested %d times, want 3 (two failures, one success)", n)
	}
}

func TestReleaseMissingKeyring(t *testing.T) {
	r := debtest.NewRepo(t)
	c, _ := newTestClient(t)
	src := Source{Mirror: r.URL(), Suites: []string{"bookworm"}, Keyring: filepath.Join(t.TempDir(), "nope.gpg")}
	_, err := c.Release(context.Background(), src, "bookworm")
	if err == nil || !strings.Contains(err.Error(), "nope.gpg") || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want a not-exist error naming the keyring", err)
	}
	if r.Requests("dists/bookworm/InRelease") != 0 {
		t.Error("fetched InRelease although the keyring cannot be read")
	}
}

func TestPackageURL(t *testing.T) {
	src := Source{Mirror: "http://mirror.invalid/debian/", SecurityMirror: "http://sec.invalid/debian-security"}
	c, _ := newTestClient(t)
	for _, tc := range []struct{ desc, suite, want string }{
		{"point release", "bookworm", "http://mirror.invalid/debian/pool/main/h/hello/hello_1_amd64.deb"},
		{"updates use the main mirror", "bookworm-updates", "http://mirror.invalid/debian/pool/main/h/hello/hello_1_amd64.deb"},
		{"security mirror", "bookworm-security", "http://sec.invalid/debian-security/pool/main/h/hello/hello_1_amd64.deb"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			p := &debian.Package{Suite: tc.suite, Filename: "pool/main/h/hello/hello_1_amd64.deb"}
			if got := c.PackageURL(src, p); got != tc.want {
				t.Errorf("PackageURL = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestReleaseBoundsSize(t *testing.T) {
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main", debtest.Deb{Name: "hello", Version: "1.0"})
	src := sourceFor(t, r, "bookworm")
	size := int64(len(r.File("dists/bookworm/InRelease")))
	if size == 0 {
		t.Fatal("the test repository serves no InRelease")
	}
	for _, tc := range []struct {
		desc    string
		max     int64
		wantErr error
	}{
		{"bound equals the size", size, nil},
		{"one byte short", size - 1, fetch.ErrTooLarge},
		{"far too small", 100, fetch.ErrTooLarge},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			c, _ := newTestClient(t, WithNow(func() time.Time { return fixedNow }), WithMaxRelease(tc.max))
			_, err := c.Release(context.Background(), src, "bookworm")
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("WithMaxRelease(%d) for a %d-byte InRelease: err = %v, want %v", tc.max, size, err, tc.wantErr)
			}
		})
	}
}
