package sbom

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type tarEntry struct {
	name, body, link string
	typ              byte
}

func tarLayer(t *testing.T, entries ...tarEntry) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644, Size: int64(len(e.body))}
		if e.typ == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			io.WriteString(tw, e.body)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestReadFiles(t *testing.T) {
	img, err := mutate.AppendLayers(empty.Image,
		tarLayer(t,
			tarEntry{name: "./usr/share/doc/a/copyright", body: "A1"},
			tarEntry{name: "usr/share/doc/b/copyright", body: "B"},
			tarEntry{name: "usr/share/doc/c/copyright", body: "C"},
			tarEntry{name: "usr/share/doc/d/copyright", body: "D"},
			tarEntry{name: "usr/lib/os-release", body: "ID=debian\n"},
			tarEntry{name: "etc/os-release", link: "../usr/lib/os-release", typ: tar.TypeSymlink},
			tarEntry{name: "usr/bin/big", body: "not wanted"},
		),
		tarLayer(t,
			tarEntry{name: "usr/share/doc/a/copyright", body: "A2"},            // replaced
			tarEntry{name: "usr/share/doc/.wh.b", typ: tar.TypeReg},            // whiteout
			tarEntry{name: "usr/share/doc/c/.wh..wh..opq", typ: tar.TypeReg},   // opaque directory
			tarEntry{name: "usr/share/doc/e", link: "d", typ: tar.TypeSymlink}, // doc dir link
			tarEntry{name: "usr/share/doc/f", link: "/usr/share/doc/e", typ: tar.TypeSymlink},
			tarEntry{name: "usr/share/doc/g/copyright", link: "usr/share/doc/a/copyright", typ: tar.TypeLink},
			tarEntry{name: "usr/share/doc/loop", link: "loop", typ: tar.TypeSymlink},
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	read, err := ReadFiles(context.Background(), img, func(p string) bool { return p != "usr/bin/big" })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"usr/share/doc/a/copyright", "A2"},
		{"/usr/share/doc/a/copyright", "A2"},
		{"usr/share/doc/b/copyright", ""},
		{"usr/share/doc/c/copyright", ""},
		{"usr/share/doc/d/copyright", "D"},
		{"usr/share/doc/e/copyright", "D"},
		{"usr/share/doc/f/copyright", "D"},
		{"usr/share/doc/g/copyright", "A2"},
		{"usr/share/doc/loop/copyright", ""},
		{"etc/os-release", "ID=debian\n"},
		{"usr/bin/big", ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := read(tc.path)
			if tc.want == "" {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("got %q, %v; want fs.ErrNotExist", got, err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// FuzzReadFiles feeds arbitrary bytes as a layer's tar stream.
func FuzzReadFiles(f *testing.F) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "usr/share/doc/a/copyright", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
	tw.Write([]byte("x"))
	tw.WriteHeader(&tar.Header{Name: "usr/share/doc/b", Typeflag: tar.TypeSymlink, Linkname: "a"})
	tw.WriteHeader(&tar.Header{Name: "usr/share/doc/.wh.c", Typeflag: tar.TypeReg})
	tw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		if err != nil {
			return
		}
		img, err := mutate.AppendLayers(empty.Image, l)
		if err != nil {
			return
		}
		read, err := ReadFiles(context.Background(), img, func(string) bool { return true })
		if err != nil {
			return
		}
		for _, p := range []string{"usr/share/doc/a/copyright", "usr/share/doc/b/copyright", "", "..", "/"} {
			if b, err := read(p); err == nil && len(b) > MaxFile {
				t.Fatalf("%s: %d bytes, more than MaxFile", p, len(b))
			}
		}
	})
}
