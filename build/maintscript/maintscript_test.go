package maintscript

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"path"
	"reflect"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/image/layer"
)

// allFixture combines every fixture: base-passwd, mawk, base-files, libc6 and
// ca-certificates.
func allFixture(t *testing.T) (memRoot, []Installed) {
	root, pkgs := dbFixture(t)
	bpRoot, bp := basePasswdRoot(t)
	caR, ca := caRoot(t)
	for k, v := range bpRoot.files {
		root.files[k] = v
	}
	for k, v := range caR.files {
		root.files[k] = v
	}
	root.dirs = caR.dirs
	return root, append(append(pkgs, bp), ca...)
}

func TestGenerateDeterministic(t *testing.T) {
	root, pkgs := allFixture(t)
	in := root.input("amd64", pkgs...)
	in.Users = []User{{Name: "nonroot", UID: 65532, GID: 65532, Home: "/home/nonroot"}}
	first, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	// Reversed package order gives the same entries.
	rev := append([]Installed(nil), pkgs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	in.Packages = rev
	second, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("Generate depends on the order of Input.Packages")
	}
	for i, e := range first {
		if e.Path == "" || strings.HasPrefix(e.Path, "/") || path.Clean(e.Path) != e.Path || strings.HasPrefix(e.Path, "bin/") {
			t.Errorf("entry path %q is not clean and canonical", e.Path)
		}
		if i > 0 && first[i-1].Path >= e.Path {
			t.Errorf("entries not sorted or duplicated at %q", e.Path)
		}
	}
}

// TestEntriesMakeALayer hands the entries to the real layer builder, as the
// build does for the system layer.
func TestEntriesMakeALayer(t *testing.T) {
	root, pkgs := allFixture(t)
	entries, err := Generate(root.input("amd64", pkgs...))
	if err != nil {
		t.Fatal(err)
	}
	b := layer.NewBuilder(layer.WithMergedUsr(true))
	if err := b.Add("maintainer scripts", entries...); err != nil {
		t.Fatal(err)
	}
	l, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[strings.TrimSuffix(strings.TrimPrefix(h.Name, "./"), "/")] = true
	}
	for _, e := range entries {
		if !seen[e.Path] {
			t.Errorf("%s is not in the layer", e.Path)
		}
	}
}

func TestEmulateLogsSkipped(t *testing.T) {
	root := memRoot{files: map[string][]byte{}}
	var buf bytes.Buffer
	in := root.input("amd64", installedFrom(t, control("p", "1"), map[string]string{"postinst": "set -e\nadduser --system \"$NAME\"\n"}, "/."))
	in.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	res, err := Emulate(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Line != 2 || res.Skipped[0].Package != "p" {
		t.Fatalf("Skipped = %+v", res.Skipped)
	}
	if !strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), `command="adduser --system $NAME"`) {
		t.Errorf("log: %s", buf.String())
	}
}

func TestGenerateNeedsArch(t *testing.T) {
	if _, err := Generate(Input{}); err == nil || !strings.Contains(err.Error(), "Input.Arch") {
		t.Errorf("error %v, want one naming Input.Arch", err)
	}
}

func ExampleGenerate() {
	files := map[string][]byte{
		"usr/bin/mawk": []byte("\x7fELF"),
	}
	mawk := Installed{
		ControlFiles: map[string][]byte{
			"postinst": []byte("#!/bin/sh\nupdate-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5\n"),
		},
		Paths: []string{"/.", "/usr", "/usr/bin", "/usr/bin/mawk"},
	}
	mawk.Control.Fields = append(mawk.Control.Fields,
		fieldOf("Package", "mawk"), fieldOf("Version", "1.3.4"), fieldOf("Architecture", "amd64"))
	entries, err := Generate(Input{
		Arch:     "amd64",
		Packages: []Installed{mawk},
		Users:    []User{{Name: "nonroot", UID: 65532, GID: 65532}},
		ReadFile: func(p string) ([]byte, bool) { b, ok := files[p]; return b, ok },
	})
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.Linkname != "" {
			fmt.Printf("%s -> %s\n", e.Path, e.Linkname)
		} else if e.Type == '0' {
			fmt.Printf("%s\n", e.Path)
		}
	}
	// Output:
	// etc/alternatives/awk -> /usr/bin/mawk
	// etc/group
	// etc/gshadow
	// etc/os-release -> ../usr/lib/os-release
	// etc/passwd
	// etc/shadow
	// usr/bin/awk -> /etc/alternatives/awk
	// usr/lib/os-release
	// var/lib/dpkg/alternatives/awk
	// var/lib/dpkg/arch
	// var/lib/dpkg/available
	// var/lib/dpkg/diversions
	// var/lib/dpkg/info/format
	// var/lib/dpkg/info/mawk.list
	// var/lib/dpkg/info/mawk.postinst
	// var/lib/dpkg/statoverride
	// var/lib/dpkg/status
}
