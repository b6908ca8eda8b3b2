package sbom

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParseDpkgStatus(t *testing.T) {
	tests := []struct {
		desc    string
		in      string
		statusD bool
		want    []string // name version arch source sourceVersion
		wantErr bool
	}{
		{desc: "installed, held and removed", in: statusA1 + statusB + statusC,
			want: []string{"liba 1:1.0-1+b1 amd64 a-src 1:1.0-1", "b 2.0 all b 2.0"}},
		{desc: "half-installed is not installed", in: "Package: x\nStatus: install ok half-installed\nVersion: 1\n"},
		{desc: "status.d without Status", in: "Package: x\nVersion: 1\nArchitecture: arm64\nSource: y\n", statusD: true,
			want: []string{"x 1 arm64 y 1"}},
		{desc: "status file without Status", in: "Package: x\nVersion: 1\n"},
		{desc: "bad version", in: "Package: x\nStatus: install ok installed\nVersion: ::\n", wantErr: true},
		{desc: "syntax error", in: "Package: x\n bad continuation\n", wantErr: false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			pkgs, err := parseDpkgStatus(strings.NewReader(tt.in), tt.statusD)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			var got []string
			for _, p := range pkgs {
				got = append(got, strings.Join([]string{p.Name, p.Version, p.Arch, p.Source, p.SourceVersion}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOSReleaseScanner: an inspected image gets its distro from the same
// parser as a built one, and an oversized os-release is an error.
func TestOSReleaseScanner(t *testing.T) {
	tests := []struct {
		desc, in, want string
		wantErr        bool
	}{
		{desc: "debian 12", in: osRel, want: "debian-12"},
		{desc: "testing", in: "ID=debian\nVERSION_CODENAME=forky\nPRETTY_NAME=\"Debian GNU/Linux forky/sid\"\n", want: "debian-forky"},
		{desc: "too big", in: "ID=debian\n" + strings.Repeat("#", maxOSRelease), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			f, err := osReleaseScanner{}.scan("etc/os-release", strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr || f.distro != tt.want {
				t.Errorf("got %q, %v; want %q, error %v", f.distro, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestBounded(t *testing.T) {
	tests := []struct {
		desc    string
		size    int
		wantErr bool
	}{
		{"under", 99, false}, {"at", 100, false}, {"over", 101, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			b, err := io.ReadAll(bounded(bytes.NewReader(make([]byte, tt.size)), 100))
			if (err != nil) != tt.wantErr || (err != nil) != errors.Is(err, errTooBig) {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if len(b) > 100 {
				t.Errorf("read %d bytes past the limit", len(b))
			}
		})
	}
	// A truncated status file must not pass for a complete one.
	if _, err := parseDpkgStatus(bounded(strings.NewReader(statusA1+statusB), int64(len(statusA1)+3)), false); err == nil {
		t.Error("a status file over the limit was read without error")
	}
}

func FuzzParseDpkgStatus(f *testing.F) {
	f.Add([]byte(statusA1+statusB+statusC), false)
	f.Add([]byte("Package: x\nVersion: 1\n"), true)
	f.Fuzz(func(t *testing.T, b []byte, statusD bool) {
		pkgs, _ := parseDpkgStatus(bytes.NewReader(b), statusD)
		for _, p := range pkgs {
			if p.Name == "" || p.Ecosystem != Deb {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
