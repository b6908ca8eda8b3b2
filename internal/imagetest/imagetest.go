// Package imagetest makes small, reproducible images and layers for tests:
// a layer of files through ingot's own layer builder, and a linux image of
// layers with a given config. It is for tests of packages that take images
// (rebase, update, run, vuln/exposure), not for building real images (see
// build and image).
package imagetest

import (
	"archive/tar"
	"maps"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/image/layer"
)

// FilesLayer returns a reproducible layer holding files (path → content),
// made by image/layer: the same files give the same digest. Files under
// usr/bin/ are executable.
func FilesLayer(t testing.TB, files map[string]string) v1.Layer {
	t.Helper()
	b := layer.NewBuilder()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		mode := int64(0o644)
		if strings.HasPrefix(p, "usr/bin/") {
			mode = 0o755
		}
		if err := b.Add("test", layer.Entry{Path: p, Type: tar.TypeReg, Mode: mode, Body: []byte(files[p])}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Image stacks layers, bottom first, into a linux/arch image with cfg as
// its config.
func Image(t testing.TB, arch string, cfg v1.Config, layers ...v1.Layer) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.Config = cfg
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}
