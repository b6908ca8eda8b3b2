package maintscript

import (
	"archive/tar"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/ingot-dev/ingot/image/layer"
)

// rootFS is the read-only view of the image root assembled from the packages.
type rootFS struct {
	read func(string) ([]byte, bool)
	list func(string) []string
}

// canonical turns an absolute or relative path into the clean relative form
// of layer.Entry, moved under usr/ as layer.MergedPath places it: /bin is a
// symlink to usr/bin in the image, so an entry must never be written under
// bin/.
func canonical(p string) string {
	return layer.MergedPath(strings.TrimPrefix(path.Clean("/"+p), "/"))
}

// exists reports whether p (absolute or relative) is a file, symlink or
// directory in the root, under its given or its merged-/usr path.
func (r rootFS) exists(p string) bool {
	rel := strings.TrimPrefix(path.Clean("/"+p), "/")
	if rel == "" {
		return true
	}
	for _, c := range []string{rel, canonical(rel)} {
		if _, ok := r.read(c); ok {
			return true
		}
		dir, base := path.Split(c)
		for _, n := range r.list(strings.TrimSuffix(dir, "/")) {
			if n == base {
				return true
			}
		}
	}
	return false
}

// isFile reports whether p is a regular file (readable) in the root.
func (r rootFS) isFile(p string) bool {
	rel := strings.TrimPrefix(path.Clean("/"+p), "/")
	if _, ok := r.read(rel); ok {
		return true
	}
	_, ok := r.read(canonical(rel))
	return ok
}

// tree collects the entries Generate returns.
type tree struct {
	root rootFS
	m    map[string]layer.Entry
}

func newTree(root rootFS) *tree { return &tree{root: root, m: map[string]layer.Entry{}} }

func (t *tree) put(e layer.Entry) error {
	if old, ok := t.m[e.Path]; ok {
		if old.Type == tar.TypeDir && e.Type == tar.TypeDir {
			return nil
		}
		return fmt.Errorf("two generated entries for %s: this is a bug in maintscript, please report it", e.Path)
	}
	t.parents(e.Path)
	t.m[e.Path] = e
	return nil
}

// parents adds directory entries for the parents of p that the root lacks.
// Parents the root has are left alone, so a symlinked directory stays one.
func (t *tree) parents(p string) {
	dir := path.Dir(p)
	var missing []string
	for dir != "." && dir != "/" {
		if _, ok := t.m[dir]; ok || t.root.exists(dir) {
			break
		}
		missing = append(missing, dir)
		dir = path.Dir(dir)
	}
	for _, d := range missing {
		t.m[d] = layer.Entry{Path: d, Type: tar.TypeDir, Mode: 0o755}
	}
}

func (t *tree) file(p string, mode int64, gid int, body []byte) error {
	return t.put(layer.Entry{Path: canonical(p), Type: tar.TypeReg, Mode: mode, GID: gid, Body: body})
}

func (t *tree) symlink(p, target string) error {
	return t.put(layer.Entry{Path: canonical(p), Type: tar.TypeSymlink, Mode: 0o777, Linkname: target})
}

// dir adds a directory unless the root already has it.
func (t *tree) dir(p string) error {
	if t.root.exists(p) {
		return nil
	}
	return t.put(layer.Entry{Path: canonical(p), Type: tar.TypeDir, Mode: 0o755})
}

func (t *tree) has(p string) bool {
	_, ok := t.m[canonical(p)]
	return ok
}

func (t *tree) entries() []layer.Entry {
	out := make([]layer.Entry, 0, len(t.m))
	for _, e := range t.m {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
