package deb

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/image/layer"
)

// Archive is the content of one .deb, held in memory.
type Archive struct {
	Control      debian.Paragraph  // the control stanza from control.tar
	ControlFiles map[string][]byte // every other control member by name: md5sums, conffiles, postinst, triggers, shlibs, ...
	Entries      []layer.Entry     // data.tar entries in archive order, paths cleaned ("usr/bin/x"), the root dropped
	Paths        []string          // paths as dpkg records them in info/<pkg>.list: "/.", "/usr", "/usr/bin/x", in archive order
	// ModTime is the newest modification time of the data.tar entries (the
	// root included), UTC, whole seconds; zero if data.tar is empty. A
	// reproducibly built .deb has every mtime clamped to its own
	// SOURCE_DATE_EPOCH, so this dates the package's content.
	ModTime time.Time
}

// Read reads a .deb from r. The whole package is decompressed into memory
// within the bounds of WithMaxSize and WithMaxEntries; r is read once, in
// order, up to the end of data.tar (members after it are not read).
func Read(r io.Reader, opts ...Option) (*Archive, error) {
	o := newOptions(opts)
	rd := &reader{opts: o, name: o.name, budget: o.maxSize, entries: o.maxEntries}
	if rd.name == "" {
		rd.name = "(unknown)"
	}
	a, err := rd.read(r)
	if err != nil {
		return nil, fmt.Errorf("reading .deb of package %s: %w", rd.name, err)
	}
	return a, nil
}

type reader struct {
	opts    options
	name    string
	budget  int64 // uncompressed bytes left
	entries int   // tar members left
}

func (rd *reader) read(r io.Reader) (*Archive, error) {
	ar := newArReader(r)
	m, err := ar.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty ar archive", ErrFormat)
	}
	if err != nil {
		return nil, err
	}
	if m.Name != "debian-binary" {
		return nil, fmt.Errorf("%w: first member is %q, want \"debian-binary\"", ErrFormat, m.Name)
	}
	if m.Size > 64 {
		return nil, fmt.Errorf("%w: debian-binary is %d bytes long", ErrFormat, m.Size)
	}
	vb, err := io.ReadAll(m.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: reading debian-binary: %w", ErrFormat, err)
	}
	if v := string(vb); !strings.HasPrefix(v, "2.") || !strings.HasSuffix(v, "\n") {
		return nil, fmt.Errorf("%w: unsupported format version %q in debian-binary, want \"2.0\"", ErrFormat, v)
	}

	a := &Archive{ControlFiles: map[string][]byte{}}
	haveControl := false
	for {
		m, err := ar.Next()
		if err == io.EOF {
			if !haveControl {
				return nil, fmt.Errorf("%w: no control.tar member", ErrFormat)
			}
			return nil, fmt.Errorf("%w: no data.tar member", ErrFormat)
		}
		if err != nil {
			return nil, err
		}
		// dpkg reserves members starting with "_" (signatures) and skips them.
		if strings.HasPrefix(m.Name, "_") {
			continue
		}
		base, comp := splitMember(m.Name)
		switch {
		case base == "control.tar" && !haveControl:
			if err := rd.readControl(m.Body, comp, a); err != nil {
				return nil, err
			}
			haveControl = true
		case base == "data.tar" && haveControl:
			if err := rd.readData(m.Body, comp, a); err != nil {
				return nil, err
			}
			return a, nil
		default:
			want := "control.tar"
			if haveControl {
				want = "data.tar"
			}
			return nil, fmt.Errorf("%w: unexpected member %q, want %s[.gz|.xz|.zst]", ErrFormat, m.Name, want)
		}
	}
}

// budgetReader fails with ErrTooLarge once more than *left bytes are read.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b budgetReader) Read(p []byte) (int, error) {
	if *b.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > *b.left+1 {
		p = p[:*b.left+1]
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	if *b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

var errTooLarge = fmt.Errorf("%w: more uncompressed bytes than the size limit (WithMaxSize)", ErrTooLarge)
