package sbom

import (
	"bytes"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/package-url/packageurl-go"
)

func fixtureBuild(files map[string]string) Build {
	return Build{
		Image: Image{
			Name: "registry.example.com/golden/base", Digest: "sha256:" + fmt.Sprintf("%064d", 1), Platform: "linux/amd64",
			Created: time.Unix(1700000000, 0).UTC(), Owner: "platform <p@example.com>",
			Layers: []Layer{{DiffID: "sha256:" + fmt.Sprintf("%064d", 2), Name: "os", Owner: "os <o@example.com>"}, {DiffID: "sha256:" + fmt.Sprintf("%064d", 3), Name: "system", Owner: "platform <p@example.com>"}},
		},
		Suite: "bookworm-security",
		Packages: []BuildPackage{
			{Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl", SHA256: "ab", Maintainer: "Debian OpenSSL Team <x@example.org>",
				Depends: [][]string{{"libc6"}, {"debconf", "debconf-2.0"}}},
			{Name: "libc6", Version: "2.36-9+deb12u9", Arch: "amd64", Source: "glibc", SHA256: "cd"},
			{Name: "sed", Version: "1:4.9-1", Arch: "amd64", Layer: 1, Depends: [][]string{{"libc6"}, {"sed"}}},
		},
		ReadFile: func(name string) ([]byte, error) {
			if s, ok := files[name]; ok {
				return []byte(s), nil
			}
			return nil, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
		},
	}
}

func TestFromBuild(t *testing.T) {
	files := map[string]string{
		"usr/share/doc/libssl3/copyright": "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: Apache-2.0\n",
		"usr/share/doc/libc6/copyright":   "This is the Debian GNU/Linux prepackaged version of the GNU C Library\n",
		"etc/os-release":                  "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
	}
	d, err := FromBuild(fixtureBuild(files))
	if err != nil {
		t.Fatal(err)
	}
	if d.Image.Distro != "debian-12" {
		t.Errorf("distro %q", d.Image.Distro)
	}
	want := []Package{
		{Ecosystem: Deb, Name: "libc6", Version: "2.36-9+deb12u9", Arch: "amd64", Source: "glibc", SourceVersion: "2.36-9+deb12u9",
			PURL: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12&upstream=glibc", SHA256: "cd", Locations: []string{StatusLocation}},
		{Ecosystem: Deb, Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl", SourceVersion: "3.0.15-1~deb12u1",
			PURL: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl", Licenses: []string{"Apache-2.0"}, SHA256: "ab",
			Locations: []string{StatusLocation}, Supplier: "Debian OpenSSL Team <x@example.org>", DependsOn: []string{"libc6"}},
		{Ecosystem: Deb, Name: "sed", Version: "1:4.9-1", Arch: "amd64", Source: "sed", SourceVersion: "1:4.9-1",
			PURL: "pkg:deb/debian/sed@1%3A4.9-1?arch=amd64&distro=debian-12", Layer: 1, Locations: []string{StatusLocation}, DependsOn: []string{"libc6"}},
	}
	if !reflect.DeepEqual(d.Packages, want) {
		t.Errorf("packages:\n got %+v\nwant %+v", d.Packages, want)
	}
}

func TestFromBuildDistroFromSuite(t *testing.T) {
	b := fixtureBuild(nil)
	d, err := FromBuild(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Image.Distro != "debian-12" || d.Packages[0].PURL != "pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12&upstream=glibc" {
		t.Errorf("distro %q, purl %q", d.Image.Distro, d.Packages[0].PURL)
	}
}

func TestFromBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		desc string
		edit func(*Build)
	}{
		{"layer out of range", func(b *Build) { b.Packages[0].Layer = 2 }},
		{"no version", func(b *Build) { b.Packages[1].Version = "" }},
		{"unreadable copyright", func(b *Build) {
			b.ReadFile = func(string) ([]byte, error) { return nil, fs.ErrPermission }
		}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			b := fixtureBuild(nil)
			tc.edit(&b)
			if _, err := FromBuild(b); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestDistroFromOSRelease(t *testing.T) {
	for _, tc := range []struct{ desc, in, want string }{
		{"debian 12", osRel, "debian-12"},
		{"debian point release", "ID=debian\nVERSION_ID=\"13.1\"\n", "debian-13"},
		{"testing and sid use the codename", "ID=debian\nVERSION_CODENAME=forky\nPRETTY_NAME=\"Debian GNU/Linux forky/sid\"\n", "debian-forky"},
		{"ubuntu keeps its minor", "# comment\nID='ubuntu'\nVERSION_ID='24.04'\n", "ubuntu-24.04"},
		{"upper case", "ID=Debian\nVERSION_ID=12\n", "debian-12"},
		{"no ID", "VERSION_ID=12\nNAME=x\n", ""},
		{"no release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n", ""},
		{"unsafe ID", "ID=a/b\nVERSION_ID=1\n", ""},
		{"unsafe version", "ID=debian\nVERSION_ID=\"1 2\"\n", ""},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if got := DistroFromOSRelease([]byte(tc.in)); got != tc.want {
				t.Errorf("DistroFromOSRelease(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestDeterministic: the same Document gives the same bytes, whatever the
// order of its packages, and the writers do not modify it.
func TestDeterministic(t *testing.T) {
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer, *Document) error
	}{
		{"spdx", func(b *bytes.Buffer, d *Document) error { return WriteSPDX(b, d) }},
		{"cyclonedx", func(b *bytes.Buffer, d *Document) error { return WriteCycloneDX(b, d) }},
	} {
		t.Run(w.name, func(t *testing.T) {
			d1 := fixtureDocument()
			d2 := fixtureDocument()
			for i, j := 0, len(d2.Packages)-1; i < j; i, j = i+1, j-1 {
				d2.Packages[i], d2.Packages[j] = d2.Packages[j], d2.Packages[i]
			}
			for i := range d2.Packages {
				slices.Reverse(d2.Packages[i].Licenses)
			}
			before := fixtureDocument()
			var b1, b2, b3 bytes.Buffer
			if err := w.write(&b1, d1); err != nil {
				t.Fatal(err)
			}
			if err := w.write(&b2, d2); err != nil {
				t.Fatal(err)
			}
			if err := w.write(&b3, d1); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b1.Bytes(), b3.Bytes()) {
				t.Error("two runs on the same Document differ")
			}
			if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
				t.Error("the package order of the Document changes the output")
			}
			if !reflect.DeepEqual(d1, before) {
				t.Error("the writer modified the Document")
			}
		})
	}
}

func FuzzDistroFromOSRelease(f *testing.F) {
	f.Add([]byte("ID=debian\nVERSION_ID=\"12\"\n"))
	f.Add([]byte("ID=\"debian\"\nVERSION_CODENAME=trixie\n"))
	f.Add([]byte("ID=a?b\nVERSION_ID=1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := DistroFromOSRelease(data)
		if d == "" {
			return
		}
		if strings.ContainsAny(d, "/?#@& \n") || !strings.Contains(d, "-") {
			t.Fatalf("DistroFromOSRelease(%q) = %q", data, d)
		}
		purl := DebPURL("p", "1", "amd64", d, "")
		if _, err := packageurl.FromString(purl); err != nil {
			t.Fatalf("distro %q makes an unreadable purl %s: %v", d, purl, err)
		}
	})
}
