package deb

import (
	"archive/tar"
	"bytes"
	"errors"
	"testing"

	"github.com/ingot-dev/ingot/internal/debtest"
)

// FuzzRead feeds arbitrary bytes to Read, both as a whole .deb and as the
// data.tar of an otherwise valid package. Read must not panic, must return
// either an archive or an error, and must respect its limits.
func FuzzRead(f *testing.F) {
	files := []debtest.File{
		{Path: "./", Typeflag: tar.TypeDir},
		{Path: "./usr/bin/x", Mode: 0o4755, Body: []byte("binary")},
		{Path: "./usr/bin/y", Linkname: "x"},
		{Path: "./usr/bin/z", Linkname: "./usr/bin/x", Typeflag: tar.TypeLink},
	}
	for _, comp := range []string{"none", "gz", "xz", "zst", "bz2"} {
		f.Add(debtest.BuildDeb(debtest.Deb{Name: "f", Version: "1", Files: files[1:], DataCompression: comp}), false)
	}
	f.Add(debtest.TarBytes(files), true)
	f.Add(debtest.TarBytes([]debtest.File{{Path: "../x"}, {Path: "./a", Linkname: "../../b"}}), true)
	f.Add([]byte("!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n"), false)
	// The package up to its data member, built once: compressing a
	// control.tar on every run would make the fuzzer crawl.
	ctl := debtest.TarBytes([]debtest.File{{Path: "./control", Body: []byte("Package: f\nVersion: 1\n")}})
	prefix := "!<arch>\n" + arHeader("debian-binary", 4) + "2.0\n" + arHeader("control.tar", len(ctl)) + string(ctl)
	const maxSize = 1 << 20
	f.Fuzz(func(t *testing.T, in []byte, asData bool) {
		if asData {
			in = append([]byte(prefix+arHeader("data.tar", len(in))), in...)
		}
		a, err := Read(bytes.NewReader(in), WithMaxSize(maxSize), WithMaxEntries(1000))
		if err != nil {
			if a != nil {
				t.Fatal("Read returned both an archive and an error")
			}
			var ue *UnsafePathError
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) && !errors.As(err, &ue) {
				t.Fatalf("error %v matches none of ErrFormat, ErrTooLarge, *UnsafePathError", err)
			}
			return
		}
		var total int
		for _, e := range a.Entries {
			total += len(e.Body)
			if e.Path == "" || e.Path[0] == '/' || e.Path == "." {
				t.Fatalf("entry with unclean path %q", e.Path)
			}
		}
		if total > maxSize {
			t.Fatalf("bodies total %d bytes, over the %d limit", total, maxSize)
		}
	})
}

func arHeader(name string, size int) string {
	return padRight(name, 16) + padRight("0", 12) + padRight("0", 6) + padRight("0", 6) + padRight("100644", 8) + padRight(itoaN(size), 10) + "`\n"
}
