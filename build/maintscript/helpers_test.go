package maintscript

import (
	"archive/tar"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/image/layer"
)

// memRoot is an image root held in memory: file path -> body. Directories
// are implied by the paths; names in dirs are extra empty directories.
type memRoot struct {
	files map[string][]byte
	dirs  []string
}

func (m memRoot) ReadFile(p string) ([]byte, bool) {
	b, ok := m.files[p]
	return b, ok
}

func (m memRoot) ListDir(dir string) []string {
	set := map[string]bool{}
	add := func(p string) {
		rest := p
		if dir != "" {
			if !strings.HasPrefix(p, dir+"/") {
				return
			}
			rest = strings.TrimPrefix(p, dir+"/")
		}
		name, _, _ := strings.Cut(rest, "/")
		if name != "" {
			set[name] = true
		}
	}
	for p := range m.files {
		add(p)
	}
	for _, d := range m.dirs {
		add(d)
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (m memRoot) input(arch string, pkgs ...Installed) Input {
	return Input{Arch: arch, Packages: pkgs, ReadFile: m.ReadFile, ListDir: m.ListDir}
}

// dirRoot is an image root unpacked on disk.
type dirRoot string

func (d dirRoot) ReadFile(p string) ([]byte, bool) {
	fi, err := os.Stat(filepath.Join(string(d), p))
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(string(d), p))
	return b, err == nil
}

func (d dirRoot) ListDir(dir string) []string {
	ents, err := os.ReadDir(filepath.Join(string(d), dir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// installedFrom builds an Installed from control text and control members.
func installedFrom(t *testing.T, control string, files map[string]string, paths ...string) Installed {
	t.Helper()
	paras, err := debian.ParseControl(strings.NewReader(control))
	if err != nil || len(paras) != 1 {
		t.Fatalf("parsing control: %v (%d paragraphs)", err, len(paras))
	}
	p, err := debian.PackageFromParagraph(paras[0])
	if err != nil {
		t.Fatal(err)
	}
	cf := map[string][]byte{}
	for k, v := range files {
		cf[k] = []byte(v)
	}
	return Installed{Package: p, Control: paras[0], ControlFiles: cf, Paths: paths}
}

// writeEntries materialises entries under dir, as a layer would.
func writeEntries(t *testing.T, dir string, entries []layer.Entry) {
	t.Helper()
	for _, e := range entries {
		p := filepath.Join(dir, e.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch e.Type {
		case tar.TypeDir:
			if err := os.MkdirAll(p, os.FileMode(e.Mode)); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			if err := os.WriteFile(p, e.Body, os.FileMode(e.Mode)); err != nil {
				t.Fatal(err)
			}
		case tar.TypeSymlink:
			os.Remove(p)
			if err := os.Symlink(e.Linkname, p); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("unexpected entry type %q for %s", e.Type, e.Path)
		}
	}
}

func entryMap(entries []layer.Entry) map[string]layer.Entry {
	m := map[string]layer.Entry{}
	for _, e := range entries {
		m[e.Path] = e
	}
	return m
}

func mustEntry(t *testing.T, m map[string]layer.Entry, p string) layer.Entry {
	t.Helper()
	e, ok := m[p]
	if !ok {
		var keys []string
		for k := range m {
			if path.Dir(k) == path.Dir(p) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		t.Fatalf("no entry %s; entries in its directory: %v", p, keys)
	}
	return e
}

func fieldOf(name, value string) debian.Field { return debian.Field{Name: name, Value: value} }
