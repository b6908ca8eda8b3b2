package exposure

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime/debug"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// node is one file system object of the flattened image.
type node struct {
	typ   byte // tar.TypeReg, TypeDir, TypeSymlink
	link  string
	layer int
	elf   *elfInfo // regular ELF files only
	body  []byte   // small configuration files only (keep)
	// shebang is the first line of an executable script, without "#!".
	shebang string
}

// elfInfo is what the closure needs from one ELF file.
type elfInfo struct {
	class   elf.Class
	machine elf.Machine
	needed  []string
	rpath   []string
	runpath []string
	soname  string
	interp  string
	build   *debug.BuildInfo // Go binaries
}

// view is the flattened file tree of an image: paths are relative, clean,
// without a leading slash ("usr/lib/x86_64-linux-gnu/libssl.so.3").
type view struct {
	nodes map[string]*node
}

// keep reports whether a regular file's content is kept: the ld.so
// configuration, the dpkg file lists, and the md5sums of distroless
// status.d databases (which have no file lists).
func keep(p string) bool {
	return p == "etc/ld.so.conf" ||
		(strings.HasPrefix(p, "etc/ld.so.conf.d/") && strings.HasSuffix(p, ".conf")) ||
		(strings.HasPrefix(p, "var/lib/dpkg/info/") && strings.HasSuffix(p, ".list")) ||
		(strings.HasPrefix(p, "var/lib/dpkg/status.d/") && strings.HasSuffix(p, ".md5sums"))
}

// maxShebang bounds the first line of a script that is read.
const maxShebang = 256

// readView streams img's layers, bottom first, into a view.
func readView(ctx context.Context, img v1.Image, o options) (*view, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing the image's layers: %w", err)
	}
	v := &view{nodes: map[string]*node{}}
	var kept int64
	buf := new(bytes.Buffer)
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc, err := l.Uncompressed()
		if err != nil {
			return nil, fmt.Errorf("opening layer %d: %w", i, err)
		}
		err = v.addLayer(i, tar.NewReader(rc), o, buf, &kept)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("reading layer %d: %w", i, err)
		}
	}
	return v, nil
}

func (v *view) addLayer(layer int, tr *tar.Reader, o options, buf *bytes.Buffer, kept *int64) error {
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		p := path.Clean("/" + h.Name)[1:]
		if p == "" {
			continue
		}
		dir, base := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		// An entry under a directory symlink of a lower layer lands where
		// the link points, as when the layer is extracted ("lib/x" with
		// lib -> usr/lib is usr/lib/x).
		if dir != "" {
			if rd, ok := v.resolve(dir); ok && rd != dir && rd != "" {
				dir, p = rd, path.Join(rd, base)
			}
		}
		if base == ".wh..wh..opq" {
			v.removeBelow(dir, layer, false)
			continue
		}
		if name, ok := strings.CutPrefix(base, ".wh."); ok {
			v.removeBelow(path.Join(dir, name), layer, true)
			continue
		}
		if len(v.nodes) >= o.maxEntries {
			if _, ok := v.nodes[p]; !ok {
				return fmt.Errorf("more than %d files: %w", o.maxEntries, ErrTooLarge)
			}
		}
		n := &node{layer: layer}
		switch h.Typeflag {
		case tar.TypeDir:
			if old, ok := v.nodes[p]; ok && old.typ == tar.TypeDir {
				continue
			}
			n.typ = tar.TypeDir
		case tar.TypeSymlink:
			n.typ, n.link = tar.TypeSymlink, h.Linkname
		case tar.TypeLink:
			target, ok := v.nodes[path.Clean("/" + h.Linkname)[1:]]
			if !ok || target.typ != tar.TypeReg {
				continue
			}
			n.typ, n.elf, n.body = tar.TypeReg, target.elf, target.body
		case tar.TypeReg:
			n.typ = tar.TypeReg
			if err := v.summarise(n, p, h, tr, o, buf, kept); err != nil {
				return fmt.Errorf("reading /%s: %w", p, err)
			}
		default:
			continue
		}
		if n.typ != tar.TypeDir {
			// A file replacing a directory hides what was under it.
			if old, ok := v.nodes[p]; ok && old.typ == tar.TypeDir {
				v.removeBelow(p, layer+1, false)
			}
		}
		v.nodes[p] = n
		// Directories need no entry of their own in a layer.
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := v.nodes[d]; ok {
				break
			}
			v.nodes[d] = &node{typ: tar.TypeDir, layer: layer}
		}
	}
}

// summarise reads what is needed of one regular file.
func (v *view) summarise(n *node, p string, h *tar.Header, tr *tar.Reader, o options, buf *bytes.Buffer, kept *int64) error {
	if keep(p) {
		if *kept+h.Size > o.maxConfig {
			return fmt.Errorf("configuration and dpkg file lists exceed %d bytes: %w", o.maxConfig, ErrTooLarge)
		}
		b, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil {
			return err
		}
		*kept += int64(len(b))
		n.body = b
		return nil
	}
	if h.Size < 4 || (h.Mode&0o111 == 0 && !strings.Contains(path.Base(p), ".so")) {
		return nil
	}
	var magic [4]byte
	if _, err := io.ReadFull(tr, magic[:]); err != nil {
		return err
	}
	if string(magic[:2]) == "#!" && h.Mode&0o111 != 0 {
		line := make([]byte, 0, maxShebang)
		line = append(line, magic[2:]...)
		rest := make([]byte, min(int64(maxShebang-2), h.Size-4))
		k, _ := io.ReadFull(tr, rest)
		line = append(line, rest[:k]...)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			n.shebang = strings.TrimSpace(string(line[:i]))
		}
		return nil
	}
	if string(magic[:]) != elf.ELFMAG {
		return nil
	}
	if h.Size > o.maxFile {
		o.log.Warn("not reading an ELF file larger than the bound", "path", "/"+p, "size", h.Size, "max", o.maxFile)
		return nil
	}
	buf.Reset()
	buf.Grow(int(h.Size)) // one allocation, not doubling up to twice the file
	buf.Write(magic[:])
	if _, err := io.CopyN(buf, tr, h.Size-4); err != nil {
		return err
	}
	info, err := parseELF(bytes.NewReader(buf.Bytes()), h.Mode&0o111 != 0)
	if err != nil {
		o.log.Debug("skipping unreadable ELF file", "path", "/"+p, "err", err)
		return nil
	}
	n.elf = info
	return nil
}

// removeBelow deletes p (when self) and everything under it that comes from
// layers below layer.
func (v *view) removeBelow(p string, layer int, self bool) {
	if self {
		if n, ok := v.nodes[p]; ok && n.layer < layer {
			delete(v.nodes, p)
		}
	}
	prefix := p + "/"
	if p == "" {
		prefix = ""
	}
	for k, n := range v.nodes {
		if strings.HasPrefix(k, prefix) && n.layer < layer {
			delete(v.nodes, k)
		}
	}
}

func parseELF(r io.ReaderAt, executable bool) (*elfInfo, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info := &elfInfo{class: f.Class, machine: f.Machine}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b, err := io.ReadAll(io.LimitReader(p.Open(), 4096))
			if err == nil {
				info.interp = strings.TrimRight(string(b), "\x00")
			}
		}
	}
	if f.Section(".dynamic") != nil || info.interp != "" {
		info.needed, _ = f.DynString(elf.DT_NEEDED)
		info.rpath = splitPaths(f, elf.DT_RPATH)
		info.runpath = splitPaths(f, elf.DT_RUNPATH)
		if s, _ := f.DynString(elf.DT_SONAME); len(s) > 0 {
			info.soname = s[0]
		}
	}
	if executable && f.Section(".go.buildinfo") != nil {
		if bi, err := buildinfo.Read(r); err == nil {
			info.build = bi
		}
	}
	return info, nil
}

func splitPaths(f *elf.File, tag elf.DynTag) []string {
	vals, _ := f.DynString(tag)
	var out []string
	for _, v := range vals {
		for p := range strings.SplitSeq(v, ":") {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// maxLinks bounds the symlinks followed resolving one path, as the kernel's
// ELOOP limit does.
const maxLinks = 40

// resolve returns the real path of p (absolute or relative to the root),
// following symbolic links in every component without leaving the root.
// ok is false when p does not exist.
func (v *view) resolve(p string) (string, bool) {
	links := 0
	var walk func(p string) (string, bool)
	walk = func(p string) (string, bool) {
		parts := strings.Split(strings.Trim(path.Clean("/"+p), "/"), "/")
		cur := ""
		for i, part := range parts {
			if part == "" {
				continue
			}
			next := path.Join(cur, part)
			n, ok := v.nodes[next]
			if !ok {
				return "", false
			}
			if n.typ == tar.TypeSymlink {
				links++
				if links > maxLinks {
					return "", false
				}
				target := n.link
				if !path.IsAbs(target) {
					target = path.Join("/"+cur, target)
				}
				rest := strings.Join(parts[i+1:], "/")
				r, ok := walk(path.Join(target, rest))
				return r, ok
			}
			cur = next
		}
		return cur, true
	}
	return walk(p)
}

// file returns the regular file at p after following symlinks.
func (v *view) file(p string) (string, *node, bool) {
	r, ok := v.resolve(p)
	if !ok {
		return "", nil, false
	}
	n, ok := v.nodes[r]
	if !ok || n.typ != tar.TypeReg {
		return "", nil, false
	}
	return r, n, true
}
