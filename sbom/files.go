package sbom

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// MaxFile is the largest file ReadFiles keeps; larger ones read as missing.
const MaxFile = MaxCopyright

// maxFileTotal bounds what ReadFiles keeps in memory altogether.
const maxFileTotal = 256 << 20

// ReadFiles reads the files of img's final root filesystem whose paths
// (relative, no leading slash) want accepts, layer by layer with whiteouts
// applied, and returns a function that reads one of them by path,
// following symbolic links (also those of parent directories, which want
// should accept too: usr/share/doc/libgcc-s1 links to gcc-12-base). A
// missing file reads as an error wrapping fs.ErrNotExist. Each file is
// bounded by MaxFile; memory is bounded to what want accepts.
func ReadFiles(ctx context.Context, img v1.Image, want func(path string) bool) (func(string) ([]byte, error), error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing the image layers: %w", err)
	}
	fsys := &fileSet{files: map[string][]byte{}, links: map[string]string{}}
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := fsys.readLayer(l, want); err != nil {
			return nil, fmt.Errorf("reading layer %d: %w", i, err)
		}
	}
	return fsys.read, nil
}

type fileSet struct {
	files map[string][]byte
	links map[string]string
	total int
}

func (f *fileSet) readLayer(l v1.Layer, want func(string) bool) error {
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		dir, base := path.Split(name)
		if base == ".wh..wh..opq" {
			f.removeUnder(strings.TrimSuffix(dir, "/"), false)
			continue
		}
		if strings.HasPrefix(base, ".wh.") {
			f.removeUnder(dir+strings.TrimPrefix(base, ".wh."), true)
			continue
		}
		// A new entry replaces whatever was at its path.
		delete(f.files, name)
		delete(f.links, name)
		if !want(name) {
			continue
		}
		switch h.Typeflag {
		case tar.TypeSymlink:
			f.links[name] = h.Linkname
		case tar.TypeReg:
			if h.Size > MaxFile || f.total+int(h.Size) > maxFileTotal {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(tr, MaxFile))
			if err != nil {
				return fmt.Errorf("reading %s: %w", name, err)
			}
			f.files[name] = b
			f.total += len(b)
		case tar.TypeLink:
			target := strings.TrimPrefix(path.Clean("/"+h.Linkname), "/")
			if b, ok := f.files[target]; ok {
				f.files[name] = b
			}
		}
	}
}

// removeUnder deletes p's children and, if self, p itself.
func (f *fileSet) removeUnder(p string, self bool) {
	for _, m := range []map[string][]byte{f.files} {
		for k := range m {
			if (self && k == p) || strings.HasPrefix(k, p+"/") || p == "" {
				delete(m, k)
			}
		}
	}
	for k := range f.links {
		if (self && k == p) || strings.HasPrefix(k, p+"/") || p == "" {
			delete(f.links, k)
		}
	}
}

// read returns the content of name, resolving symbolic links in it.
func (f *fileSet) read(name string) ([]byte, error) {
	p := strings.TrimPrefix(path.Clean("/"+name), "/")
	for hops := 0; hops < 16; hops++ {
		if b, ok := f.files[p]; ok {
			return b, nil
		}
		next, ok := f.resolveOnce(p)
		if !ok {
			break
		}
		p = next
	}
	return nil, fmt.Errorf("reading /%s from the image: %w", name, fs.ErrNotExist)
}

// resolveOnce replaces the first symbolic link among p's prefixes by its
// target.
func (f *fileSet) resolveOnce(p string) (string, bool) {
	parts := strings.Split(p, "/")
	for i := range parts {
		prefix := strings.Join(parts[:i+1], "/")
		target, ok := f.links[prefix]
		if !ok {
			continue
		}
		if !strings.HasPrefix(target, "/") {
			target = path.Join(path.Dir("/"+prefix), target)
		}
		rest := strings.Join(parts[i+1:], "/")
		return strings.TrimPrefix(path.Clean(path.Join(target, rest)), "/"), true
	}
	return "", false
}
