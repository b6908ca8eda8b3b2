package layer

import (
	"archive/tar"
	"errors"
	"io"
	"path"
	"strings"
	"testing"
)

// FuzzBuilder adds entries decoded from arbitrary text and checks the
// invariants of whatever the builder accepts: no panic, only the documented
// errors, and a tar in which every path appears once, after its parent.
//
// Each input line is "type path [link]", type one of f d l h.
func FuzzBuilder(f *testing.F) {
	f.Add("d etc\nf etc/a\nl etc/b a\nh etc/c etc/a\nf bin/sh\nl bin usr/bin\n")
	f.Add("f lib/x\nd lib\nl lib64 /usr/lib64\nh usr/lib/y lib/x\n")
	f.Add("f a\nf a/b\n")
	f.Fuzz(func(t *testing.T, in string) {
		b := NewBuilder()
		types := map[string]byte{"f": tar.TypeReg, "d": tar.TypeDir, "l": tar.TypeSymlink, "h": tar.TypeLink}
		for i, line := range strings.Split(in, "\n") {
			if i > 64 {
				break
			}
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			e := Entry{Path: fields[1], Type: types[fields[0]], Mode: 0o644}
			if len(fields) > 2 {
				e.Linkname = fields[2]
			}
			if e.Type == tar.TypeReg {
				e.Body = []byte(line)
			}
			err := b.Add("fuzz", e)
			if err != nil && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrInvalidEntry) {
				t.Fatalf("Add(%+v) = %v: neither ErrConflict nor ErrInvalidEntry", e, err)
			}
		}
		l, err := b.Layer()
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := l.Uncompressed()
		tr := tar.NewReader(rc)
		seen := map[string]byte{}
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(h.Name, "/")
			if _, dup := seen[name]; dup {
				t.Fatalf("%s written twice", name)
			}
			if dir := path.Dir(name); dir != "." && seen[dir] != tar.TypeDir {
				t.Fatalf("%s written before its parent directory %s", name, dir)
			}
			if h.Typeflag == tar.TypeLink && seen[h.Linkname] != tar.TypeReg {
				t.Fatalf("hardlink %s -> %s does not follow a regular file", name, h.Linkname)
			}
			if body, _ := io.ReadAll(tr); int64(len(body)) != h.Size {
				t.Fatalf("%s: %d bytes of content, header says %d", name, len(body), h.Size)
			}
			seen[name] = h.Typeflag
		}
	})
}
