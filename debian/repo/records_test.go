package repo

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

// referenceParse is ParsePackages as it was before records and
// debian.PackageParser: a debian.ControlReader and PackageFromParagraph per
// record. parsePackages must give exactly its results and errors.
func referenceParse(r io.Reader, suite, component string) ([]*debian.Package, error) {
	cr := debian.NewControlReader(r)
	var out []*debian.Package
	for {
		para, err := cr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		p, err := debian.PackageFromParagraph(para)
		if err != nil {
			return nil, fmt.Errorf("record ending at line %d: %w", cr.Line(), err)
		}
		p.Suite, p.Component = suite, component
		out = append(out, p)
	}
}

// checkSameAsReference parses in whole, cut into pieces of every size, and
// with referenceParse, and fails on any difference in records or errors.
func checkSameAsReference(t *testing.T, in string) {
	t.Helper()
	want, wantErr := referenceParse(strings.NewReader(in), "bookworm", "main")
	for _, n := range []int{1, 2, 3, 7} {
		got, err := parsePieces(split(in, n, 1), "bookworm", "main")
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%d pieces: error %v, want %v", n, err, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d pieces: %d records differ from the reference's %d", n, len(got), len(want))
		}
	}
}

func TestParsePackagesMatchesReference(t *testing.T) {
	rec := "Package: a\nVersion: 1\nArchitecture: all\nDepends: libc6 (>= 2.36), b | c\n"
	for _, tc := range []struct {
		desc, in string
	}{
		{"empty", ""},
		{"blank lines only", "\n \n\t\n"},
		{"records", rec + "\n" + strings.Replace(rec, "a\n", "b\n", 1)},
		{"no final newline", strings.TrimSuffix(rec, "\n")},
		{"several blank lines and comments", "\n\n# c\n" + rec + "\n\n\n# x\n" + rec + "# y\n\n"},
		{"CRLF and CR CR LF", strings.ReplaceAll(rec, "\n", "\r\n") + "\r\n" + strings.ReplaceAll(rec, "\n", "\r\r\n")},
		{"continuation lines", rec + "Description: x\n more\n\tand more\n .\n"},
		{"Unicode white space is blank", rec + "\u00a0\n" + rec},
		{"continuation before any field", " x\n"},
		{"continuation after a blank line", rec + "\n x\n"},
		{"not a field", rec + "\n" + "nonsense\n"},
		{"space in a field name", "Pack age: a\n"},
		{"bad version in the second record", rec + "\n\nPackage: b\nVersion: !!\n\n"},
		{"bad record at the end of the file", rec + "\nPackage: b\nVersion: 1\nSize: x"},
		{"too many fields", "Package: a\n" + strings.Repeat("X: y\n", debian.MaxControlFields)},
		{"line too long", rec + "\nPackage: b\nDescription: " + strings.Repeat("x", debian.MaxControlLine) + "\n"},
		{"longest line", rec + "\nPackage: b\nVersion: 1\nX: " + strings.Repeat("x", debian.MaxControlLine-4) + "\n"},
		{"continued field too long", "Package: a\nX: " + strings.Repeat("x", debian.MaxControlLine-10) + "\n " + strings.Repeat("y", 20) + "\n"},
	} {
		t.Run(tc.desc, func(t *testing.T) { checkSameAsReference(t, tc.in) })
	}
}

// Errors name the record's last line, also in a later piece.
func TestParsePackagesErrorLine(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "Package: p%d\nVersion: 1\n\n", i)
	}
	b.WriteString("Package: bad\nVersion: !!\n\n")
	for _, n := range []int{1, 4} {
		_, err := parsePieces(split(b.String(), n, 100), "s", "c")
		if err == nil || !strings.Contains(err.Error(), "record ending at line 3003:") || !errors.Is(err, debian.ErrBadVersion) {
			t.Errorf("%d pieces: err = %v, want the record ending at line 3003", n, err)
		}
	}
}

func TestSplit(t *testing.T) {
	data := strings.Repeat("Package: a\nVersion: 1\n\n", 100)
	for _, tc := range []struct {
		desc    string
		n, min  int
		wantLen int
	}{
		{"one CPU", 1, 1, 1},
		{"pieces too small to split", 4, len(data), 1},
		{"two pieces", 2, 10, 2},
		{"four pieces", 4, 10, 4},
		{"pieces of at least min bytes", 4, len(data) / 3, 2},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			pieces := split(data, tc.n, tc.min)
			if len(pieces) != tc.wantLen {
				t.Fatalf("%d pieces, want %d", len(pieces), tc.wantLen)
			}
			var joined strings.Builder
			for i, pc := range pieces {
				if want := strings.Count(joined.String(), "\n"); pc.line != want {
					t.Errorf("piece %d starts after line %d, want %d", i, pc.line, want)
				}
				if i < len(pieces)-1 && len(pc.data) < tc.min {
					t.Errorf("piece %d has %d bytes, fewer than %d", i, len(pc.data), tc.min)
				}
				joined.WriteString(pc.data)
				if i < len(pieces)-1 && !strings.HasSuffix(pc.data, "\n\n") {
					t.Errorf("piece %d does not end with an empty line", i)
				}
			}
			if joined.String() != data {
				t.Error("pieces do not join to the input")
			}
		})
	}
}

func FuzzParsePackages(f *testing.F) {
	f.Add("Package: a\nVersion: 1\nDepends: x (>= 1) | y\n\nPackage: b\nVersion: 2\nDepends: x (>= 1) | y\n")
	f.Add("# c\nPackage: a\r\nVersion: 1:2-3\r\r\n Description: x\n\n\n \nPackage: b\nVersion: !\n")
	f.Add(" x\n")
	f.Add("Package: a\nVersion: 1\nProvides: p (= 1) [amd64], q\n\n\nPackage: a\nVersion: 1\nProvides: p (= 1) [amd64]\n")
	f.Fuzz(func(t *testing.T, in string) { checkSameAsReference(t, in) })
}
