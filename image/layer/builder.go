package layer

import (
	"archive/tar"
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Builder collects entries for one layer and encodes them reproducibly.
// It is not safe for concurrent use.
type Builder struct {
	opts    options
	lower   map[string]Entry // directories of the layers below, by path
	entries map[string]*item
	parents map[string]string // implied directory -> origin of the first entry below it
	layer   v1.Layer
}

type item struct {
	Entry
	origin string
}

// NewBuilder returns an empty Builder.
func NewBuilder(opts ...Option) *Builder {
	b := &Builder{opts: newOptions(opts), entries: map[string]*item{}, parents: map[string]string{}, lower: map[string]Entry{}}
	for _, e := range b.opts.lower {
		if e.Type != tar.TypeDir {
			continue
		}
		if b.opts.mergedUsr {
			e.Path, _ = mergeUsr(e.Path)
		}
		b.lower[e.Path] = e
	}
	return b
}

// Add adds entries in order; origin names who provides them (a package
// name, "spec file") in conflict errors. With merged-/usr, paths under the
// top-level bin, sbin and lib* directories are moved under usr/ (hardlink
// targets too; symlink targets are kept, they resolve through the
// top-level links as on Debian).
//
// The same regular file added twice with the same content, mode and owner,
// and the same symlink or hardlink twice, are fine. Directories may be
// added repeatedly; the last mode and owner win, as when dpkg unpacks
// packages in order. Anything else at one path is a *ConflictError. On
// error, the entries before the failing one stay added.
func (b *Builder) Add(origin string, entries ...Entry) error {
	if b.layer != nil {
		return fmt.Errorf("adding entries from %s: the layer has already been built", origin)
	}
	for _, e := range entries {
		if err := b.add(origin, e); err != nil {
			return fmt.Errorf("adding %s to the layer: %w", origin, err)
		}
	}
	return nil
}

func (b *Builder) add(origin string, e Entry) error {
	if e.Type == '\x00' {
		e.Type = tar.TypeReg
	}
	if err := checkEntry(e); err != nil {
		return err
	}
	if b.opts.mergedUsr && isMergedLink(e) {
		e.Linkname = "usr/" + e.Path // one spelling, so "/usr/lib" and "usr/lib" agree
	} else if b.opts.mergedUsr {
		if mergedDirs[e.Path] && e.Type != tar.TypeDir {
			return &ConflictError{Path: e.Path, Origin: origin, Other: "merged-/usr", Reason: fmt.Sprintf("a %s where merged-/usr needs the symlink %s -> usr/%s", typeName(e.Type), e.Path, e.Path)}
		}
		e.Path, _ = mergeUsr(e.Path)
		if e.Type == tar.TypeLink {
			e.Linkname, _ = mergeUsr(e.Linkname)
		}
	}
	if e.Type == tar.TypeLink {
		t, ok := b.entries[e.Linkname]
		if !ok || t.Type != tar.TypeReg && t.Type != tar.TypeLink {
			return fmt.Errorf("%w: hardlink /%s points to /%s, which is not a regular file added before it", ErrInvalidEntry, e.Path, e.Linkname)
		}
		if t.Type == tar.TypeLink { // point straight at the file
			e.Linkname = t.Linkname
		}
	}
	for dir := path.Dir(e.Path); dir != "."; dir = path.Dir(dir) {
		if p, ok := b.entries[dir]; ok && p.Type != tar.TypeDir {
			return &ConflictError{Path: e.Path, Origin: origin, Other: p.origin, Reason: fmt.Sprintf("its parent /%s is a %s, not a directory", dir, typeName(p.Type))}
		}
	}
	if prev, ok := b.entries[e.Path]; ok {
		if reason := conflict(prev.Entry, e); reason != "" {
			return &ConflictError{Path: e.Path, Origin: origin, Other: prev.origin, Reason: reason}
		}
		if e.Type == tar.TypeDir {
			prev.Entry, prev.origin = e, origin
		}
		return nil
	}
	if e.Type != tar.TypeDir {
		if other, ok := b.parents[e.Path]; ok {
			return &ConflictError{Path: e.Path, Origin: origin, Other: other, Reason: fmt.Sprintf("a %s where a directory holds other entries", typeName(e.Type))}
		}
	}
	b.entries[e.Path] = &item{Entry: e, origin: origin}
	for dir := path.Dir(e.Path); dir != "."; dir = path.Dir(dir) {
		if _, ok := b.parents[dir]; ok {
			break
		}
		b.parents[dir] = origin
	}
	return nil
}

// conflict says why next cannot replace prev at the same path, or "".
func conflict(prev, next Entry) string {
	if prev.Type != next.Type {
		return fmt.Sprintf("a %s and a %s", typeName(prev.Type), typeName(next.Type))
	}
	switch next.Type {
	case tar.TypeReg:
		switch {
		case !bytes.Equal(prev.Body, next.Body):
			return "different content"
		case prev.Mode != next.Mode:
			return fmt.Sprintf("different modes %04o and %04o", prev.Mode, next.Mode)
		case prev.UID != next.UID || prev.GID != next.GID:
			return fmt.Sprintf("different owners %d:%d and %d:%d", prev.UID, prev.GID, next.UID, next.GID)
		}
	case tar.TypeSymlink, tar.TypeLink:
		if prev.Linkname != next.Linkname {
			return fmt.Sprintf("links to different targets %q and %q", prev.Linkname, next.Linkname)
		}
	}
	return ""
}

func checkEntry(e Entry) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidEntry, e.Path, fmt.Sprintf(format, args...))
	}
	switch {
	case e.Path == "" || e.Path == "." || path.Clean(e.Path) != e.Path || strings.HasPrefix(e.Path, "/"):
		return bad("path must be relative and clean, like \"usr/bin/awk\"")
	case strings.ContainsRune(e.Path, 0) || strings.ContainsRune(e.Linkname, 0):
		return bad("NUL byte in the path or link target")
	case slices.Contains(strings.Split(e.Path, "/"), ".."):
		return bad("path climbs with \"..\"")
	case e.Mode&^0o7777 != 0 || e.Mode < 0:
		return bad("mode %o has bits beyond permissions and setuid/setgid/sticky", e.Mode)
	case e.UID < 0 || e.GID < 0:
		return bad("negative owner %d:%d", e.UID, e.GID)
	case e.Type != tar.TypeReg && len(e.Body) > 0:
		return bad("a %s cannot have content", typeName(e.Type))
	}
	switch e.Type {
	case tar.TypeReg, tar.TypeDir:
		if e.Linkname != "" {
			return bad("a %s cannot have a link target", typeName(e.Type))
		}
	case tar.TypeSymlink:
		if e.Linkname == "" {
			return bad("symlink without a target")
		}
	case tar.TypeLink:
		if e.Linkname == "" || path.Clean(e.Linkname) != e.Linkname || strings.HasPrefix(e.Linkname, "/") || slices.Contains(strings.Split(e.Linkname, "/"), "..") {
			return bad("hardlink target %q must be a relative clean path inside the layer", e.Linkname)
		}
	default:
		return bad("unsupported type %q (want regular file, directory, symlink or hardlink)", e.Type)
	}
	return nil
}

func typeName(t byte) string {
	switch t {
	case tar.TypeReg:
		return "regular file"
	case tar.TypeDir:
		return "directory"
	case tar.TypeSymlink:
		return "symlink"
	case tar.TypeLink:
		return "hardlink"
	}
	return fmt.Sprintf("type %q entry", t)
}

// Entries returns the layer's entries as they will be written: merged-/usr
// applied, directories implied by deeper entries added (0755, root), sorted
// so that parents come before children, and each set of hardlinks holding
// its content on the first member in that order. Bodies are shared with
// the Builder: do not modify them.
func (b *Builder) Entries() []Entry {
	out := make([]Entry, 0, len(b.entries)+len(b.parents))
	for _, it := range b.entries {
		out = append(out, it.Entry)
	}
	for dir := range b.parents {
		if _, ok := b.entries[dir]; ok {
			continue
		}
		d := Entry{Path: dir, Type: tar.TypeDir, Mode: 0o755}
		if l, ok := b.lower[dir]; ok {
			d.Mode, d.UID, d.GID = l.Mode, l.UID, l.GID
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Entry) int { return comparePaths(a.Path, b.Path) })
	// A tar hardlink must follow its target; give the content to whichever
	// member of the set sorts first.
	first := map[string]string{} // file path -> first path in its link set
	for i, e := range out {
		if e.Type != tar.TypeLink {
			continue
		}
		if f, ok := first[e.Linkname]; ok {
			out[i].Linkname = f
			continue
		}
		if comparePaths(e.Path, e.Linkname) < 0 {
			t := b.entries[e.Linkname].Entry
			first[e.Linkname] = e.Path
			out[i] = Entry{Path: e.Path, Type: tar.TypeReg, Mode: t.Mode, UID: t.UID, GID: t.GID, Body: t.Body}
		} else {
			first[e.Linkname] = e.Linkname
		}
	}
	for i, e := range out {
		if f, ok := first[e.Path]; ok && f != e.Path && e.Type == tar.TypeReg {
			out[i] = Entry{Path: e.Path, Type: tar.TypeLink, Mode: e.Mode, UID: e.UID, GID: e.GID, Linkname: f}
		}
	}
	return out
}

// comparePaths orders paths component by component ('/' sorts before any
// other byte), so a directory's entries stay together after it.
func comparePaths(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		switch {
		case ca == cb:
			continue
		case ca == '/':
			return -1
		case cb == '/':
			return 1
		case ca < cb:
			return -1
		default:
			return 1
		}
	}
	return len(a) - len(b)
}
