package debtest

import (
	"archive/tar"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func sampleDeb(comp string) Deb {
	return Deb{
		Name: "hello", Version: "1:2.10-3", Arch: "arm64", Source: "hello-src (2.10-3)",
		Control: map[string]string{"Depends": "libc6 (>= 2.34)", "Multi-Arch": "foreign", "Section": "devel",
			"Description": "say hello\nA longer text.\n\nSecond paragraph."},
		Files: []File{
			{Path: "/usr/bin/hello", Mode: 0o755, Body: []byte("#!/bin/sh\necho hi\n")},
			{Path: "usr/share/doc/hello/copyright", Body: []byte("GPL\n")},
			{Path: "/usr/bin/hi", Linkname: "hello"},
		},
		Scripts:         map[string]string{"postinst": "#!/bin/sh\nexit 0\n"},
		DataCompression: comp,
	}
}

func TestBuildDebDeterministic(t *testing.T) {
	a, b := BuildDeb(sampleDeb("")), BuildDeb(sampleDeb(""))
	if !bytes.Equal(a, b) {
		t.Fatal("two builds of the same Deb differ")
	}
	if !bytes.HasPrefix(a, []byte("!<arch>\ndebian-binary   ")) {
		t.Fatalf("not an ar archive starting with debian-binary: %q", a[:30])
	}
}

func TestBuildDebWithDpkgDeb(t *testing.T) {
	testenv.RequireTool(t, "dpkg-deb")
	for _, tc := range []struct {
		desc, comp string
	}{
		{"xz data (default)", ""},
		{"gzip data", "gz"},
		{"zstd data", "zst"},
		{"bzip2 data", "bz2"},
		{"uncompressed data", "none"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "hello.deb")
			if err := os.WriteFile(p, BuildDeb(sampleDeb(tc.comp)), 0o644); err != nil {
				t.Fatal(err)
			}
			info, err := exec.Command("dpkg-deb", "--info", p).CombinedOutput()
			if err != nil {
				t.Fatalf("dpkg-deb --info: %v\n%s", err, info)
			}
			for _, want := range []string{"Package: hello", "Version: 1:2.10-3", "Architecture: arm64",
				"Source: hello-src (2.10-3)", "Depends: libc6 (>= 2.34)", "Multi-Arch: foreign", "postinst",
				"Description: say hello\n  A longer text.\n  .\n  Second paragraph."} {
				if !strings.Contains(string(info), want) {
					t.Errorf("dpkg-deb --info lacks %q:\n%s", want, info)
				}
			}
			contents, err := exec.Command("dpkg-deb", "--contents", p).CombinedOutput()
			if err != nil {
				t.Fatalf("dpkg-deb --contents: %v\n%s", err, contents)
			}
			for _, want := range []string{"./usr/", "./usr/bin/", "-rwxr-xr-x root/root", "./usr/bin/hello",
				"./usr/bin/hi -> hello", "./usr/share/doc/hello/copyright"} {
				if !strings.Contains(string(contents), want) {
					t.Errorf("dpkg-deb --contents lacks %q:\n%s", want, contents)
				}
			}
			out := t.TempDir()
			if b, err := exec.Command("dpkg-deb", "--extract", p, out).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb --extract: %v\n%s", err, b)
			}
			if b, _ := os.ReadFile(filepath.Join(out, "usr/share/doc/hello/copyright")); string(b) != "GPL\n" {
				t.Errorf("extracted copyright = %q", b)
			}
			ctl := t.TempDir()
			if b, err := exec.Command("dpkg-deb", "--control", p, ctl).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb --control: %v\n%s", err, b)
			}
			sums, _ := os.ReadFile(filepath.Join(ctl, "md5sums"))
			if !strings.Contains(string(sums), "  usr/bin/hello\n") || strings.Contains(string(sums), "usr/bin/hi\n") {
				t.Errorf("md5sums should list regular files only:\n%s", sums)
			}
		})
	}
}

func TestTarBytesKeepsHostileNames(t *testing.T) {
	b := TarBytes([]File{
		{Path: "../escape", Body: []byte("x")},
		{Path: "/abs/file", Body: []byte("y")},
		{Path: "link", Linkname: "/etc/passwd"},
		{Path: "dir", Typeflag: tar.TypeDir},
	})
	tr := tar.NewReader(bytes.NewReader(b))
	var got []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		got = append(got, h.Name+"|"+h.Linkname+"|"+string(h.Typeflag))
	}
	want := []string{"../escape||0", "/abs/file||0", "link|/etc/passwd|2", "dir||5"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("entries = %v, want %v", got, want)
	}
}

func TestBuildDebRawData(t *testing.T) {
	raw := []byte("not really xz")
	d := BuildDeb(Deb{Name: "bad", Version: "1", RawData: raw})
	if !bytes.Contains(d, []byte("data.tar.xz ")) || !bytes.HasSuffix(bytes.TrimSuffix(d, []byte("\n")), raw) {
		t.Fatal("RawData was not used verbatim as data.tar.xz")
	}
}
