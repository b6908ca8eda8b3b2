package run

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

const (
	whiteoutPrefix = ".wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// extractor applies layers to a root directory.
type extractor struct {
	root     *os.Root
	asRoot   bool  // restore owners (needs uid 0)
	budget   int64 // bytes left to write
	dirModes map[string]fs.FileMode
	o        *options
}

// applyLayer writes one layer's uncompressed tar onto the root. Reading the
// stream to its end makes go-containerregistry verify the layer digest.
func (x *extractor) applyLayer(ctx context.Context, l v1.Layer, n int) error {
	d, _ := l.Digest()
	rc, err := l.Uncompressed()
	if err != nil {
		return fmt.Errorf("unpacking layer %d (%s): %w", n, d, err)
	}
	defer rc.Close()
	written := map[string]bool{} // entries this layer created, kept by an opaque whiteout
	tr := tar.NewReader(rc)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("unpacking layer %d (%s): reading tar: %w", n, d, err)
		}
		if err := x.apply(hdr, tr, written); err != nil {
			return fmt.Errorf("unpacking layer %d (%s): %w", n, d, err)
		}
	}
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return fmt.Errorf("unpacking layer %d (%s): %w", n, d, err)
	}
	if err := rc.Close(); err != nil {
		return fmt.Errorf("unpacking layer %d (%s): %w", n, d, err)
	}
	return nil
}

// cleanName turns a tar name into a path relative to the root. Leading "/" and
// "./" are dropped (tar's usual meaning); ".." is refused.
func cleanName(name string) (string, error) {
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", fmt.Errorf("entry %q: path contains \"..\"; refusing a layer that points outside the image", name)
		}
	}
	p := path.Clean("/" + name)
	if p == "/" {
		return ".", nil
	}
	return p[1:], nil
}

func (x *extractor) apply(hdr *tar.Header, r io.Reader, written map[string]bool) error {
	name, err := cleanName(hdr.Name)
	if err != nil {
		return err
	}
	dir, base := path.Split(name)
	if base == "." && hdr.Typeflag == tar.TypeDir {
		return nil // the root itself keeps the bundle's mode
	}
	parent, err := resolve(x.root, dir, true)
	if err != nil {
		return err
	}

	if base == whiteoutOpaque {
		return x.opaque(parent, written)
	}
	if strings.HasPrefix(base, whiteoutPrefix) {
		victim := strings.TrimPrefix(base, whiteoutPrefix)
		if victim == "" || victim == "." || victim == ".." {
			return fmt.Errorf("entry %q: bad whiteout", hdr.Name)
		}
		if err := x.root.RemoveAll(path.Join(parent, victim)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("applying whiteout %q: %w", hdr.Name, err)
		}
		return nil
	}

	if parent != "." {
		if err := x.root.MkdirAll(parent, 0o755); err != nil {
			return fmt.Errorf("entry %q: creating parent: %w", hdr.Name, err)
		}
	}
	target := path.Join(parent, base)
	for p := target; p != "." && p != "/"; p = path.Dir(p) {
		written[p] = true
	}

	// Replace whatever is there unless both are directories.
	if fi, err := x.root.Lstat(target); err == nil {
		if !(fi.IsDir() && hdr.Typeflag == tar.TypeDir) {
			if err := x.root.RemoveAll(target); err != nil {
				return fmt.Errorf("entry %q: replacing: %w", hdr.Name, err)
			}
		}
	}

	mode := hdr.FileInfo().Mode()
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := x.root.Mkdir(target, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		if x.asRoot {
			if err := x.root.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
				return fmt.Errorf("entry %q: %w", hdr.Name, err)
			}
		}
		x.dirModes[target] = mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	case tar.TypeReg, tar.TypeGNUSparse:
		return x.writeFile(hdr, target, r, mode)
	case tar.TypeSymlink:
		if err := x.root.Symlink(hdr.Linkname, target); err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		if x.asRoot {
			if err := x.root.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
				return fmt.Errorf("entry %q: %w", hdr.Name, err)
			}
		}
	case tar.TypeLink:
		ln, err := cleanName(hdr.Linkname)
		if err != nil {
			return fmt.Errorf("hard link %q: %w", hdr.Name, err)
		}
		ldir, lbase := path.Split(ln)
		lparent, err := resolve(x.root, ldir, true)
		if err != nil {
			return err
		}
		if err := x.root.Link(path.Join(lparent, lbase), target); err != nil {
			return fmt.Errorf("hard link %q to %q: %w", hdr.Name, hdr.Linkname, err)
		}
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		x.o.logger.Debug("skipping device or fifo", "path", hdr.Name)
	case tar.TypeXGlobalHeader:
	default:
		return fmt.Errorf("entry %q: unsupported tar type %q", hdr.Name, hdr.Typeflag)
	}
	return nil
}

func (x *extractor) writeFile(hdr *tar.Header, target string, r io.Reader, mode fs.FileMode) error {
	if hdr.Size > x.budget {
		return fmt.Errorf("entry %q: the image unpacks to more than the %d-byte limit (WithMaxSize)", hdr.Name, x.o.maxBytes)
	}
	f, err := x.root.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("entry %q: %w", hdr.Name, err)
	}
	n, err := io.Copy(f, io.LimitReader(r, hdr.Size))
	x.budget -= n
	if err == nil && n != hdr.Size {
		err = io.ErrUnexpectedEOF
	}
	if err == nil && x.asRoot {
		err = f.Chown(hdr.Uid, hdr.Gid) // before chmod: chown clears setuid bits
	}
	if err == nil {
		err = f.Chmod(mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("entry %q: %w", hdr.Name, err)
	}
	if err := x.root.Chtimes(target, hdr.ModTime, hdr.ModTime); err != nil {
		return fmt.Errorf("entry %q: %w", hdr.Name, err)
	}
	return nil
}

// opaque empties dir of everything lower layers put there.
func (x *extractor) opaque(dir string, written map[string]bool) error {
	fi, err := x.root.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return nil
	}
	f, err := x.root.Open(dir)
	if err != nil {
		return fmt.Errorf("applying opaque whiteout in %s: %w", dir, err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return fmt.Errorf("applying opaque whiteout in %s: %w", dir, err)
	}
	for _, n := range names {
		p := path.Join(dir, n)
		if written[p] {
			continue
		}
		if err := x.root.RemoveAll(p); err != nil {
			return fmt.Errorf("applying opaque whiteout in %s: %w", dir, err)
		}
	}
	return nil
}

// finish applies the directory modes, deferred so that read-only directories
// could still be filled.
func (x *extractor) finish() error {
	for p, m := range x.dirModes {
		fi, err := x.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.IsDir()) {
			continue
		}
		if err != nil {
			return err
		}
		if err := x.root.Chmod(p, m); err != nil {
			return fmt.Errorf("setting the mode of %s: %w", p, err)
		}
	}
	return nil
}
