package deb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const (
	arMagic      = "!<arch>\n"
	arHeaderSize = 60
)

// arMember is one member of an ar archive; Body reads exactly Size bytes.
type arMember struct {
	Name string
	Size int64
	Body io.Reader
}

// arReader reads the common ar format as dpkg-deb writes it: an 8-byte
// magic, 60-byte headers, bodies padded to an even length. GNU and BSD
// long-name and symbol-table members are rejected: dpkg never writes them.
type arReader struct {
	r    *bufio.Reader
	cur  *io.LimitedReader
	pad  bool
	read bool // magic consumed
}

func newArReader(r io.Reader) *arReader {
	return &arReader{r: bufio.NewReader(r)}
}

// Next skips what is left of the current member and returns the next one,
// or io.EOF at the end of the archive.
func (a *arReader) Next() (*arMember, error) {
	if !a.read {
		var magic [len(arMagic)]byte
		if _, err := io.ReadFull(a.r, magic[:]); err != nil {
			return nil, fmt.Errorf("%w: reading ar magic: not a .deb (file too short)", ErrFormat)
		}
		if string(magic[:]) != arMagic {
			return nil, fmt.Errorf("%w: no ar magic %q at the start: not a .deb", ErrFormat, arMagic)
		}
		a.read = true
	}
	if a.cur != nil {
		if _, err := io.Copy(io.Discard, a.cur); err != nil {
			return nil, fmt.Errorf("%w: skipping ar member: %w", ErrFormat, err)
		}
		if a.cur.N > 0 {
			return nil, fmt.Errorf("%w: ar member truncated", ErrFormat)
		}
		if a.pad {
			if _, err := a.r.ReadByte(); err != nil && err != io.EOF {
				return nil, fmt.Errorf("%w: reading ar padding: %w", ErrFormat, err)
			}
		}
		a.cur = nil
	}
	var h [arHeaderSize]byte
	n, err := io.ReadFull(a.r, h[:])
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("%w: ar header truncated after %d bytes", ErrFormat, n)
	}
	m, err := parseArHeader(h[:])
	if err != nil {
		return nil, err
	}
	a.cur = &io.LimitedReader{R: a.r, N: m.Size}
	a.pad = m.Size%2 == 1
	m.Body = a.cur
	return m, nil
}

func parseArHeader(h []byte) (*arMember, error) {
	if string(h[58:60]) != "`\n" {
		return nil, fmt.Errorf("%w: ar header has bad terminator %q", ErrFormat, h[58:60])
	}
	raw := strings.TrimRight(string(h[0:16]), " ")
	// GNU ar terminates names with "/"; dpkg-deb does not, but accepts it.
	name := strings.TrimSuffix(raw, "/")
	switch {
	case name == "" || strings.HasPrefix(raw, "/"):
		return nil, fmt.Errorf("%w: ar member with an empty or GNU special name %q", ErrFormat, bytes.TrimRight(h[0:16], " "))
	case strings.HasPrefix(name, "#1/"):
		return nil, fmt.Errorf("%w: ar member %q uses a BSD long name, which dpkg never writes", ErrFormat, name)
	case strings.ContainsAny(name, "/\x00"):
		return nil, fmt.Errorf("%w: ar member name %q is not a plain file name", ErrFormat, name)
	}
	sizeField := strings.TrimRight(string(h[48:58]), " ")
	size, err := strconv.ParseInt(sizeField, 10, 64)
	if err != nil || size < 0 || sizeField == "" || sizeField[0] == '+' {
		return nil, fmt.Errorf("%w: ar member %q has bad size %q", ErrFormat, name, sizeField)
	}
	return &arMember{Name: name, Size: size}, nil
}
