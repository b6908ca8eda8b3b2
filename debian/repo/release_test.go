package repo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
)

const goodRelease = `Origin: Debian
Label: Debian
Suite: stable
Version: 12.11
Codename: bookworm
Date: Sat, 17 May 2025 09:45:57 UTC
Valid-Until: Sat, 24 May 2025 09:45:57 UTC
Acquire-By-Hash: yes
Architectures: all amd64 arm64
Components: main contrib
Description: Debian 12.11 Released 17 May 2025
MD5Sum:
 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 contrib/Contents-all
SHA256:
 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-amd64/Packages
 8CD1DEC9C3B3AC2A1F3E6C3B7E2F5E0A1C3D6E5F4A3B2C1D0E9F8A7B6C5D4E3F  9012345 main/binary-amd64/Packages.xz
`

func TestParseRelease(t *testing.T) {
	r, err := ParseRelease([]byte(goodRelease))
	if err != nil {
		t.Fatal(err)
	}
	if r.Suite != "stable" || r.Codename != "bookworm" || r.Version != "12.11" || !r.AcquireByHash {
		t.Errorf("fields: %+v", r)
	}
	if want := time.Date(2025, 5, 17, 9, 45, 57, 0, time.UTC); !r.Date.Equal(want) {
		t.Errorf("Date = %v, want %v", r.Date, want)
	}
	if want := time.Date(2025, 5, 24, 9, 45, 57, 0, time.UTC); !r.ValidUntil.Equal(want) {
		t.Errorf("ValidUntil = %v, want %v", r.ValidUntil, want)
	}
	if !r.Is("bookworm") || !r.Is("stable") || r.Is("trixie") {
		t.Error("Is does not match Suite and Codename")
	}
	if !r.HasArchitecture("arm64") || r.HasArchitecture("i386") || !r.HasComponent("contrib") {
		t.Error("architectures/components not parsed")
	}
	fi, ok := r.Files["main/binary-amd64/Packages.xz"]
	if !ok || fi.Size != 9012345 || fi.SHA256 != "8cd1dec9c3b3ac2a1f3e6c3b7e2f5e0a1c3d6e5f4a3b2c1d0e9f8a7b6c5d4e3f" {
		t.Errorf("Packages.xz entry = %+v (listed %v): want size 9012345 and a lower-case digest", fi, ok)
	}
	if _, ok := r.Files["contrib/Contents-all"]; ok {
		t.Error("an MD5Sum-only entry must not be trusted as a file entry")
	}
}

func TestParseReleaseRejects(t *testing.T) {
	for _, tc := range []struct {
		desc, from, to string
	}{
		{"no SHA256 list", "SHA256:", "SHA1:"},
		{"short digest", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c4"},
		{"non-hex digest", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", strings.Repeat("z", 64)},
		{"negative size", "        0 main", "       -1 main"},
		{"missing path", "        0 main/binary-amd64/Packages\n", "        0\n"},
		{"bad Date", "Date: Sat, 17 May 2025 09:45:57 UTC", "Date: yesterday"},
		{"bad Valid-Until", "Valid-Until: Sat, 24 May 2025 09:45:57 UTC", "Valid-Until: 2025-05-24"},
		{"no suite or codename", "Suite: stable\n", ""},
		{"two paragraphs", "Description:", "\nDescription:"},
		{"conflicting duplicate", "  9012345 main/binary-amd64/Packages.xz", "  9012345 main/binary-amd64/Packages"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			text := strings.Replace(goodRelease, tc.from, tc.to, 1)
			if tc.desc == "no suite or codename" {
				text = strings.Replace(text, "Codename: bookworm\n", "", 1)
			}
			if text == goodRelease {
				t.Fatal("test case did not change the input")
			}
			_, err := ParseRelease([]byte(text))
			if !errors.Is(err, ErrMalformedRelease) {
				t.Fatalf("err = %v, want ErrMalformedRelease", err)
			}
		})
	}
}

func FuzzParseRelease(f *testing.F) {
	f.Add([]byte(goodRelease))
	f.Add([]byte("Suite: x\nSHA256:\n"))
	f.Add([]byte("Codename: y\nDate: Mon, 2 Jan 2006 15:04:05 -0700\nSHA256:\n " + strings.Repeat("a", 64) + " 1 p\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRelease(data)
		if err != nil {
			if !errors.Is(err, ErrMalformedRelease) {
				t.Fatalf("error does not wrap ErrMalformedRelease: %v", err)
			}
			return
		}
		if r.Suite == "" && r.Codename == "" {
			t.Fatal("accepted a Release without Suite or Codename")
		}
		for p, fi := range r.Files {
			if p == "" || fi.Size < 0 || !fetch.ValidSHA256(fi.SHA256) {
				t.Fatalf("accepted a bad file entry %q %+v", p, fi)
			}
		}
	})
}
