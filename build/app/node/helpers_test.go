package node

import (
	"archive/tar"
	"compress/gzip"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, "ingot-app-node-test-") }

// noNodeBase is a one-layer base with a few files and no node: what the
// check must refuse, without building a second golden image.
func noNodeBase(t *testing.T) *app.BaseIndex {
	t.Helper()
	l, err := app.EncodeLayer([]layer.Entry{
		{Path: "usr", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/bin", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/bin/nodejs-not-really", Type: tar.TypeReg, Mode: 0o755, Body: []byte("no")},
	}, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.ConfigFile(img, &v1.ConfigFile{Architecture: "amd64", OS: "linux",
		Config: v1.Config{User: "65532:65532"}, RootFS: v1.RootFS{Type: "layers", DiffIDs: mustDiffIDs(t, l)}})
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	return &app.BaseIndex{Name: "no-node-base", Index: idx}
}

func mustDiffIDs(t *testing.T, ls ...v1.Layer) []v1.Hash {
	t.Helper()
	var out []v1.Hash
	for _, l := range ls {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// writeTgz writes an npm package tarball with files.
func writeTgz(t *testing.T, p string, files map[string]string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
