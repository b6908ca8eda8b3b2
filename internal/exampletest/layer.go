package exampletest

import (
	"archive/tar"
	"io"
	"maps"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// TarFile is one entry of a layer.
type TarFile struct {
	Hdr  *tar.Header
	Body []byte
}

// LayerFiles reads a layer's entries by their name in the tar.
func LayerFiles(t testing.TB, l v1.Layer) map[string]TarFile {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out := map[string]TarFile{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = TarFile{h, b}
	}
}

// Names returns the entry names of m, sorted.
func Names(m map[string]TarFile) []string { return slices.Sorted(maps.Keys(m)) }
