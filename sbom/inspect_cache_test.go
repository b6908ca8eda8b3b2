package sbom

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/image"
)

// countedLayer is a layer of an uncompressed tar whose reads are counted.
func countedLayer(t *testing.T, tarball_ []byte, reads *atomic.Int64) v1.Layer {
	t.Helper()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		reads.Add(1)
		return io.NopCloser(bytes.NewReader(tarball_)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// withLineage labels img with a lineage whose first base layers are the
// base's.
func withLineage(t *testing.T, img v1.Image, base int) v1.Image {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	lin := image.Lineage{BaseName: "registry.example.com/golden/base", BaseDigest: "sha256:" + strings.Repeat("a", 64)}
	for i, l := range layers {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		lin.Layers = append(lin.Layers, image.LayerRecord{Name: "l" + string(rune('0'+i)), DiffID: d.String(), Base: i < base})
	}
	b, err := json.Marshal(lin)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Labels = map[string]string{image.LabelLineage: string(b)}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}

// TestFromImageLayerCache: with a LayerCache, images on one base read the
// base's layers once and get the documents they get without it, whatever
// their own layers do to the base's files (replace, white out).
func TestFromImageLayerCache(t *testing.T) {
	var baseReads atomic.Int64
	os_ := countedLayer(t, tarOf(t, file{name: "usr/lib/os-release", body: osRel}, file{name: "var/lib/dpkg/status", body: statusA2}), &baseReads)
	tools := countedLayer(t, tarOf(t, file{name: "opt/tool/node_modules/y/package.json", body: `{"name": "y", "version": "2.0.0"}`}), &baseReads)
	apps := map[string]v1.Layer{
		"adds a package":             layerOf(t, tarOf(t, file{name: "app/node_modules/x/package.json", body: `{"name": "x", "version": "1.0.0"}`})),
		"replaces the dpkg database": layerOf(t, tarOf(t, file{name: "var/lib/dpkg/status", body: statusA2 + statusD})),
		"whites out a base package":  layerOf(t, tarOf(t, file{name: "opt/tool/node_modules/.wh.y"})),
	}
	cache := NewLayerCache()
	for name, app := range apps {
		t.Run(name, func(t *testing.T) {
			img := withLineage(t, imageOf(t, os_, tools, app), 2)
			before := baseReads.Load()
			want, err := FromImage(t.Context(), img)
			if err != nil {
				t.Fatal(err)
			}
			if reads := baseReads.Load() - before; reads != 2 {
				t.Errorf("without the cache, the base layers were read %d times, want 2", reads)
			}
			cached := cache.Len() == 2
			before = baseReads.Load()
			got, err := FromImage(t.Context(), img, WithLayerCache(cache))
			if err != nil {
				t.Fatal(err)
			}
			if reads := baseReads.Load() - before; cached && reads != 0 {
				t.Errorf("with the base in the cache, the base layers were read %d times, want none", reads)
			}
			diff(t, summary(got), summary(want))
			if got.Image.Distro != want.Image.Distro {
				t.Errorf("distro %q, want %q", got.Image.Distro, want.Image.Distro)
			}
		})
	}
	if cache.Len() != 2 {
		t.Errorf("the cache holds %d layers, want the 2 base layers", cache.Len())
	}
}
