package debtest

import (
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ulikunitz/xz"
)

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func newSampleRepo(t *testing.T) *Repo {
	r := NewRepo(t)
	r.Add("bookworm", "main",
		Deb{Name: "libc6", Version: "2.36-9", Arch: "amd64", Source: "glibc"},
		Deb{Name: "libc6", Version: "2.36-9", Arch: "arm64", Source: "glibc"},
		Deb{Name: "tzdata", Version: "2024a-0", Arch: "all"},
	)
	r.Add("bookworm-security", "main", Deb{Name: "libc6", Version: "2.36-9+deb12u1", Source: "glibc"})
	return r
}

func TestRepoLayout(t *testing.T) {
	r := newSampleRepo(t)
	base := r.URL()
	code, rel := get(t, base+"/dists/bookworm/Release")
	if code != 200 {
		t.Fatalf("Release: status %d", code)
	}
	for _, want := range []string{"Suite: bookworm\n", "Date: Tue, 20 May 2025 12:00:00 UTC\n",
		"Architectures: all amd64 arm64\n", "Components: main\n", "Acquire-By-Hash: no\n", "MD5Sum:\n", "SHA256:\n"} {
		if !strings.Contains(string(rel), want) {
			t.Errorf("Release lacks %q:\n%s", want, rel)
		}
	}
	for _, tc := range []struct {
		desc, path string
		wantStatus int
		wantIn     []string
	}{
		{"amd64 xz index has the arch and the all package", "main/binary-amd64/Packages.xz", 200,
			[]string{"Package: libc6\nSource: glibc\nVersion: 2.36-9\nArchitecture: amd64", "Package: tzdata", "Filename: pool/main/g/glibc/libc6_2.36-9_amd64.deb"}},
		{"arm64 gz index", "main/binary-arm64/Packages.gz", 200, []string{"Architecture: arm64", "Package: tzdata", "Filename: pool/main/t/tzdata/tzdata_2024a-0_all.deb"}},
		{"uncompressed index is listed but not served", "main/binary-amd64/Packages", 404, nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			code, body := get(t, base+"/dists/bookworm/"+tc.path)
			if code != tc.wantStatus {
				t.Fatalf("status %d, want %d", code, tc.wantStatus)
			}
			var plain []byte
			switch {
			case code != 200:
				plain = nil
			case strings.HasSuffix(tc.path, ".xz"):
				zr, err := xz.NewReader(strings.NewReader(string(body)))
				if err != nil {
					t.Fatal(err)
				}
				plain, _ = io.ReadAll(zr)
			case strings.HasSuffix(tc.path, ".gz"):
				zr, err := gzip.NewReader(strings.NewReader(string(body)))
				if err != nil {
					t.Fatal(err)
				}
				plain, _ = io.ReadAll(zr)
			}
			for _, want := range tc.wantIn {
				if !strings.Contains(string(plain), want) {
					t.Errorf("index lacks %q:\n%s", want, plain)
				}
			}
			if code == 200 {
				line := fmt.Sprintf(" %x %16d %s\n", sha256.Sum256(body), len(body), tc.path)
				if !strings.Contains(string(rel), line) {
					t.Errorf("Release does not list %q", line)
				}
			}
		})
	}
	p, sum, size := r.Deb("libc6", "2.36-9+deb12u1", "amd64")
	code, deb := get(t, base+"/"+p)
	if code != 200 || int64(len(deb)) != size || fmt.Sprintf("%x", sha256.Sum256(deb)) != sum {
		t.Fatalf("pool file %s: status %d, %d bytes, want %d bytes %s", p, code, len(deb), size, sum)
	}
}

func TestRepoVerifiesWithGpgv(t *testing.T) {
	testenv.RequireTool(t, "gpgv")
	r := newSampleRepo(t)
	keyring := r.Key().KeyringFile(t)
	other := NewKey(t)
	for _, tc := range []struct {
		desc   string
		setup  func()
		wantOK bool
	}{
		{"good signature", func() {}, true},
		{"tampered text", r.TamperInRelease, false},
		{"wrong key", func() { r.SignWith(other) }, false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			tc.setup()
			_, in := get(t, r.URL()+"/dists/bookworm/InRelease")
			p := filepath.Join(t.TempDir(), "InRelease")
			os.WriteFile(p, in, 0o644)
			out, err := exec.Command("gpgv", "--keyring", keyring, p).CombinedOutput()
			if (err == nil) != tc.wantOK {
				t.Fatalf("gpgv ok=%v, want %v:\n%s", err == nil, tc.wantOK, out)
			}
			if tc.wantOK {
				_, rel := get(t, r.URL()+"/dists/bookworm/Release")
				_, sig := get(t, r.URL()+"/dists/bookworm/Release.gpg")
				os.WriteFile(p+".rel", rel, 0o644)
				os.WriteFile(p+".gpg", sig, 0o644)
				if out, err := exec.Command("gpgv", "--keyring", keyring, p+".gpg", p+".rel").CombinedOutput(); err != nil {
					t.Fatalf("gpgv Release.gpg: %v\n%s", err, out)
				}
			}
		})
	}
}

func TestRepoFaultHooks(t *testing.T) {
	r := newSampleRepo(t)
	const in = "dists/bookworm/InRelease"
	const xzIdx = "dists/bookworm/main/binary-amd64/Packages.xz"
	r.FailNext(in, 2, http.StatusServiceUnavailable)
	for i, want := range []int{503, 503, 200} {
		if code, _ := get(t, r.URL()+"/"+in); code != want {
			t.Fatalf("request %d: status %d, want %d", i, code, want)
		}
	}
	if n := r.Requests("/" + in); n != 3 {
		t.Errorf("Requests = %d, want 3", n)
	}

	_, good := get(t, r.URL()+"/"+xzIdx)
	r.CorruptFile(xzIdx)
	_, bad := get(t, r.URL()+"/"+xzIdx)
	if len(bad) != len(good) || string(bad) == string(good) {
		t.Errorf("CorruptFile: got %d bytes (equal=%v), want same size, other bytes", len(bad), string(bad) == string(good))
	}

	r.SetValidUntil(time.Date(2025, 5, 27, 0, 0, 0, 0, time.UTC))
	r.SetReleaseField("Version", "12.11")
	_, rel := get(t, r.URL()+"/dists/bookworm/InRelease")
	for _, want := range []string{"-----BEGIN PGP SIGNED MESSAGE-----", "Valid-Until: Tue, 27 May 2025 00:00:00 UTC\n", "Version: 12.11\n"} {
		if !strings.Contains(string(rel), want) {
			t.Errorf("InRelease lacks %q", want)
		}
	}

	r.SetIndexCompressions("gz")
	if code, _ := get(t, r.URL()+"/"+xzIdx); code != 404 {
		t.Errorf("Packages.xz after SetIndexCompressions(gz): status %d, want 404", code)
	}
	if _, rel := get(t, r.URL()+"/dists/bookworm/Release"); strings.Contains(string(rel), "Packages.xz") {
		t.Error("Release still lists Packages.xz")
	}

	r.Unsigned()
	_, rel = get(t, r.URL()+"/dists/bookworm/InRelease")
	if strings.Contains(string(rel), "PGP") || !strings.HasPrefix(string(rel), "Origin: Debian\n") {
		t.Errorf("Unsigned InRelease should be plain Release text, got %.60q", rel)
	}
	if code, _ := get(t, r.URL()+"/dists/bookworm/Release.gpg"); code != 404 {
		t.Errorf("Unsigned: Release.gpg status %d, want 404", code)
	}
}
