package cachedir

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
)

const day = 24 * time.Hour

// tree builds a synthetic cache directory with entries of given ages.
type tree struct {
	t    *testing.T
	root string
	now  time.Time
}

func newTree(t *testing.T) *tree {
	t.Helper()
	return &tree{t: t, root: t.TempDir(), now: time.Now()}
}

// file writes rel with size bytes, last used age ago.
func (tr *tree) file(rel string, size int, age time.Duration) {
	tr.t.Helper()
	p := filepath.Join(tr.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
		tr.t.Fatal(err)
	}
	tr.age(rel, age)
}

// layer writes a layer-cache entry directory rel: image.json and one blob
// of size bytes, last used age ago.
func (tr *tree) layer(rel string, size int, age time.Duration) {
	tr.t.Helper()
	tr.file(filepath.Join(rel, "image.json"), 10, age)
	tr.file(filepath.Join(rel, "0123abcd"), size, age)
	tr.age(rel, age)
}

func (tr *tree) age(rel string, age time.Duration) {
	tr.t.Helper()
	mt := tr.now.Add(-age)
	if err := os.Chtimes(filepath.Join(tr.root, rel), mt, mt); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *tree) symlink(rel, target string) {
	tr.t.Helper()
	p := filepath.Join(tr.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		tr.t.Fatal(err)
	}
}

// listing is every path under dir (relative) with its size and mtime, for
// comparing a tree before and after.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel+" "+info.Mode().String()+" "+info.ModTime().String()+" "+strings.Repeat("+", int(min(info.Size(), 50))))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// standard is a cache with entries of every area, old and fresh, a foreign
// parsed version, temporaries, and symlinks into outside, a directory
// beside the cache that must never be touched. It returns outside.
func standard(t *testing.T) (*tree, string) {
	t.Helper()
	tr := newTree(t)
	cur := repo.ParsedCacheDir()
	tr.file("sha256/aa/aa01", 100, 40*day)
	tr.file("sha256/bb/bb02", 200, time.Hour)
	tr.file(cur+"/cc/cc03", 30, 40*day)
	tr.file(cur+"/dd/dd04", 40, 0)
	tr.file(cur+"/cc/.tmp-1", 5, 2*day)
	tr.file("parsed/v1.0/ee/ee05", 50, 0)
	tr.file("parsed/v1.0/ee/ee06", 60, 50*day)
	tr.layer("layers/ff/ff07", 1000, 40*day)
	tr.layer("layers/ff/ff08", 2000, 2*day)
	tr.layer("layers/ff/.tmp-2", 300, 2*day)
	tr.file("tmp/stale", 7, 2*day)
	tr.file("tmp/fresh", 8, time.Minute)
	tr.file("README", 9, 90*day) // not an area: left alone

	outside := t.TempDir()
	old := tr.now.Add(-90 * day)
	for _, p := range []string{"victim", "keys/ab12/image.json", "keys/ab12/blob"} {
		p = filepath.Join(outside, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("outside"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	tr.symlink("sha256/aa/aa99", filepath.Join(outside, "victim"))
	tr.symlink("layers/ab", filepath.Join(outside, "keys"))
	tr.symlink("layers/ff/ff09", filepath.Join(outside, "keys", "ab12"))
	tr.symlink("tmp/link", outside)
	tr.symlink(cur+"/cc/cc98", filepath.Join(outside, "victim"))
	tr.symlink("parsed/v0.9", outside)
	return tr, outside
}
