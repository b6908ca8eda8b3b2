package build

import (
	"archive/tar"
	"path"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/image/layer"
)

// rootfs is a read-only view of the image root that the package layers
// make, for the maintainer-script emulation: files are looked up through
// symlinks, as a program in the image would see them.
type rootfs struct {
	entries  map[string]*layer.Entry
	children map[string][]string // dir -> sorted names
}

// newRootfs overlays layers of entries, later layers winning.
func newRootfs(layers ...[]layer.Entry) *rootfs {
	r := &rootfs{entries: map[string]*layer.Entry{}, children: map[string][]string{}}
	names := map[string]map[string]bool{}
	for _, entries := range layers {
		for i := range entries {
			e := &entries[i]
			r.entries[e.Path] = e
			// Record e and every parent in its parent's listing.
			for p := e.Path; p != "" && p != "."; p = path.Dir(p) {
				dir := path.Dir(p)
				if dir == "." {
					dir = ""
				}
				if names[dir] == nil {
					names[dir] = map[string]bool{}
				}
				names[dir][path.Base(p)] = true
			}
		}
	}
	for dir, set := range names {
		r.children[dir] = slices.Sorted(func(yield func(string) bool) {
			for n := range set {
				if !yield(n) {
					return
				}
			}
		})
	}
	return r
}

// resolve follows symlinks in every component of p (relative to the root)
// and returns the path of what it names, or false if a link loops or
// points nowhere in the root. Links never climb above the root, as in a
// chroot.
func (r *rootfs) resolve(p string) (string, bool) {
	rest := splitPath(p)
	var done []string
	for hops := 0; len(rest) > 0; {
		name := rest[0]
		rest = rest[1:]
		switch name {
		case ".", "":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		cur := strings.Join(append(done, name), "/")
		e := r.entries[cur]
		if e == nil || e.Type != tar.TypeSymlink {
			done = append(done, name)
			continue
		}
		if hops++; hops > 40 {
			return "", false
		}
		target := splitPath(e.Linkname)
		if strings.HasPrefix(e.Linkname, "/") {
			done = nil
		}
		rest = append(target, rest...)
	}
	return strings.Join(done, "/"), true
}

func splitPath(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
}

// ReadFile returns the content of the regular file at p (a hardlink reads
// its target).
func (r *rootfs) ReadFile(p string) ([]byte, bool) {
	rp, ok := r.resolve(p)
	if !ok {
		return nil, false
	}
	e := r.entries[rp]
	if e != nil && e.Type == tar.TypeLink {
		e = r.entries[strings.TrimPrefix(path.Clean(e.Linkname), "/")]
	}
	if e == nil || (e.Type != tar.TypeReg && e.Type != tar.TypeRegA) {
		return nil, false
	}
	return e.Body, true
}

// ListDir returns the sorted names in directory p; "" is the root.
func (r *rootfs) ListDir(p string) []string {
	rp, ok := r.resolve(p)
	if !ok {
		return nil
	}
	return slices.Clone(r.children[rp])
}
