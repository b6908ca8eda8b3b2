package deb

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// maxControlMember bounds one control.tar member (control, md5sums,
// scripts); the largest real md5sums files are a few MiB.
const maxControlMember = 64 << 20

func (rd *reader) readControl(body io.Reader, comp string, a *Archive) error {
	zr, closeFn, err := decompress(body, comp, []string{"", "gz", "xz", "zst"})
	if err != nil {
		return fmt.Errorf("reading control.tar: %w", err)
	}
	defer closeFn()
	tr := tar.NewReader(budgetReader{r: zr, left: &rd.budget})
	var control []byte
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rd.tarErr("control.tar", err)
		}
		if rd.entries--; rd.entries < 0 {
			return fmt.Errorf("%w: more than %d archive entries (WithMaxEntries)", ErrTooLarge, rd.opts.maxEntries)
		}
		name, err := cleanName(h.Name)
		if err != nil {
			return fmt.Errorf("%w: control.tar member %q: %s", ErrFormat, h.Name, err)
		}
		if name == "." && h.Typeflag == tar.TypeDir {
			continue
		}
		if strings.Contains(name, "/") || name == "." {
			return fmt.Errorf("%w: control.tar member %q is not a plain file name", ErrFormat, h.Name)
		}
		if h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%w: control.tar member %q is not a regular file (type %q)", ErrFormat, h.Name, h.Typeflag)
		}
		if h.Size > rd.budget {
			return fmt.Errorf("control.tar member %q: %w", h.Name, errTooLarge)
		}
		if h.Size > maxControlMember {
			return fmt.Errorf("%w: control.tar member %q is %d bytes (limit %d)", ErrTooLarge, h.Name, h.Size, maxControlMember)
		}
		b, err := readBody(tr, h.Size)
		if err != nil {
			return rd.tarErr("control.tar member "+name, err)
		}
		if _, dup := a.ControlFiles[name]; dup || (name == "control" && control != nil) {
			return fmt.Errorf("%w: control.tar has %q twice", ErrFormat, name)
		}
		if name == "control" {
			control = b
			continue
		}
		a.ControlFiles[name] = b
	}
	if control == nil {
		return fmt.Errorf("%w: control.tar has no control file", ErrFormat)
	}
	paras, err := debian.ParseControl(bytes.NewReader(control))
	if err != nil {
		return fmt.Errorf("%w: parsing control file: %w", ErrFormat, err)
	}
	if len(paras) != 1 {
		return fmt.Errorf("%w: control file has %d stanzas, want 1", ErrFormat, len(paras))
	}
	a.Control = paras[0]
	pkg := a.Control.Get("Package")
	if pkg == "" {
		return fmt.Errorf("%w: control file has no Package field", ErrFormat)
	}
	if rd.opts.name == "" {
		rd.name = pkg
	}
	return nil
}

// readBody reads exactly size bytes. Up to exactAlloc the buffer is
// allocated at once (callers have checked size against the budget);
// beyond, it grows only as data arrives, so a lying header cannot make it
// allocate much more than the stream holds.
func readBody(r io.Reader, size int64) ([]byte, error) {
	const exactAlloc = 32 << 20
	if size <= exactAlloc {
		b := make([]byte, size)
		if n, err := io.ReadFull(r, b); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, fmt.Errorf("%w: body truncated at %d of %d bytes", ErrFormat, n, size)
			}
			return nil, err
		}
		return b, nil
	}
	var buf bytes.Buffer
	buf.Grow(exactAlloc)
	n, err := io.CopyN(&buf, r, size)
	if err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("%w: body truncated at %d of %d bytes", ErrFormat, n, size)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// tarErr turns a tar or decompression error into one that says where.
func (rd *reader) tarErr(where string, err error) error {
	if rd.budget < 0 {
		return fmt.Errorf("reading %s: %w", where, errTooLarge)
	}
	return fmt.Errorf("%w: reading %s: %w", ErrFormat, where, err)
}

// cleanName turns a tar member name into a clean relative path: "./usr/"
// becomes "usr", "./" becomes ".". Absolute names and ".." components are
// errors (reported as such, not silently cleaned away).
func cleanName(name string) (string, error) {
	switch {
	case name == "":
		return "", fmt.Errorf("empty name")
	case strings.ContainsRune(name, 0):
		return "", fmt.Errorf("name contains a NUL byte")
	case strings.HasPrefix(name, "/"):
		return "", fmt.Errorf("absolute path")
	}
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", fmt.Errorf("path contains a \"..\" component")
		}
	}
	return path.Clean(name), nil
}
