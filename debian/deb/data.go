package deb

import (
	"archive/tar"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/image/layer"
)

func (rd *reader) readData(body io.Reader, comp string, a *Archive) error {
	zr, closeFn, err := decompress(body, comp, []string{"", "gz", "xz", "zst", "bz2"})
	if err != nil {
		return fmt.Errorf("reading data.tar: %w", err)
	}
	defer closeFn()
	tr := tar.NewReader(budgetReader{r: zr, left: &rd.budget})
	index := map[string]int{}       // path -> position in a.Entries
	symlinks := map[string]string{} // symlink path -> target
	unsafe := func(p, reason string, args ...any) error {
		return &UnsafePathError{Package: rd.name, Path: p, Reason: fmt.Sprintf(reason, args...)}
	}
	rootListed := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return rd.tarErr("data.tar", err)
		}
		if rd.entries--; rd.entries < 0 {
			return fmt.Errorf("%w: more than %d archive entries (WithMaxEntries)", ErrTooLarge, rd.opts.maxEntries)
		}
		typ := h.Typeflag
		switch typ {
		case tar.TypeXGlobalHeader: // dpkg ignores pax global headers too
			continue
		case '\x00': // old-style regular file
			typ = tar.TypeReg
		case tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeLink:
		case tar.TypeChar, tar.TypeBlock:
			return unsafe(h.Name, "device node (type %q); images must not ship device nodes", typ)
		case tar.TypeFifo:
			return unsafe(h.Name, "FIFO; images must not ship named pipes")
		default:
			return fmt.Errorf("%w: data.tar entry %q has unsupported type %q", ErrFormat, h.Name, typ)
		}
		name, err := cleanName(h.Name)
		if err != nil {
			return unsafe(h.Name, "%s", err)
		}
		if mt := h.ModTime.Truncate(time.Second).UTC(); mt.After(a.ModTime) {
			a.ModTime = mt
		}
		if h.Uid < 0 || h.Gid < 0 {
			return fmt.Errorf("%w: data.tar entry %q has negative owner %d:%d", ErrFormat, h.Name, h.Uid, h.Gid)
		}
		if name == "." {
			if typ != tar.TypeDir {
				return unsafe(h.Name, "the root is not a directory")
			}
			if !rootListed {
				a.Paths = append(a.Paths, "/.")
				rootListed = true
			}
			continue
		}
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if target, ok := symlinks[dir]; ok {
				return unsafe(h.Name, "passes through symlink %q -> %q defined earlier in the package", dir, target)
			}
			if i, ok := index[dir]; ok && a.Entries[i].Type != tar.TypeDir {
				return unsafe(h.Name, "parent %q is not a directory", dir)
			}
		}
		e := layer.Entry{Path: name, Type: typ, Mode: h.Mode & 0o7777, UID: h.Uid, GID: h.Gid}
		switch typ {
		case tar.TypeReg:
			if h.Size > rd.budget {
				return fmt.Errorf("data.tar entry %q: %w", h.Name, errTooLarge)
			}
			if e.Body, err = readBody(tr, h.Size); err != nil {
				return rd.tarErr("data.tar entry "+h.Name, err)
			}
		case tar.TypeSymlink:
			switch {
			case h.Linkname == "":
				return unsafe(h.Name, "symlink with an empty target")
			case strings.ContainsRune(h.Linkname, 0):
				return unsafe(h.Name, "symlink target contains a NUL byte")
			case climbsAboveRoot(path.Dir(name), h.Linkname):
				return unsafe(h.Name, "symlink target %q climbs above the root", h.Linkname)
			}
			e.Linkname = h.Linkname
		case tar.TypeLink:
			switch {
			case strings.HasPrefix(h.Linkname, "/"):
				return unsafe(h.Name, "hardlink target %q is absolute", h.Linkname)
			case h.Linkname == "":
				return unsafe(h.Name, "hardlink with an empty target")
			}
			target, err := cleanName(h.Linkname)
			if err != nil {
				return unsafe(h.Name, "hardlink target %q: %s", h.Linkname, err)
			}
			if i, ok := index[target]; !ok || a.Entries[i].Type != tar.TypeReg {
				return unsafe(h.Name, "hardlink target %q is not a regular file earlier in the package", h.Linkname)
			}
			e.Linkname = target
		}
		if i, ok := index[name]; ok {
			if a.Entries[i].Type == tar.TypeDir && typ == tar.TypeDir {
				a.Entries[i] = e // later wins, as when dpkg unpacks it
				continue
			}
			return unsafe(h.Name, "duplicate entry; only directories may appear twice")
		}
		index[name] = len(a.Entries)
		a.Entries = append(a.Entries, e)
		a.Paths = append(a.Paths, "/"+name)
		if typ == tar.TypeSymlink {
			symlinks[name] = h.Linkname
		}
	}
}

// climbsAboveRoot reports whether a relative symlink target, resolved from
// dir, would leave the root. Absolute targets resolve from the image root
// and never climb.
func climbsAboveRoot(dir, target string) bool {
	if strings.HasPrefix(target, "/") {
		return false
	}
	depth := 0
	if dir != "." {
		depth = strings.Count(dir, "/") + 1
	}
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}
