package image

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-* from the current output")

// TestGolden pins the exact bytes of the index, a manifest and a config
// built from fixed uncompressed layers: any drift in what ingot writes (or in
// go-containerregistry's encoding) changes image digests and must be seen.
func TestGolden(t *testing.T) {
	var imgs []v1.Image
	for _, arch := range []string{"amd64", "arm64"} {
		p, _ := PlatformFor(arch)
		layers := []LayerInfo{
			{Layer: static.NewLayer([]byte("os "+arch), types.OCIUncompressedLayer), Name: "os", Owner: "platform <platform@example.com>", Packages: []string{"base-files=12.4+deb12u5"}},
			{Layer: static.NewLayer([]byte("runtime "+arch), types.OCIUncompressedLayer), Name: "runtime", Owner: "runtime", Packages: []string{"python3=3.11.2-1+b1"}},
		}
		img, err := Assemble(p, layers, testConfig(), epoch, testAnnotations())
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	idx, err := Index(imgs, testAnnotations())
	if err != nil {
		t.Fatal(err)
	}
	index, err := idx.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := imgs[1].RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	config, err := imgs[1].RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"index.json": index, "manifest-arm64.json": manifest, "config-arm64.json": config} {
		path := filepath.Join("testdata", "golden-"+name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./image -run TestGolden -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s drifted from %s (if intended, run with -update):\ngot  %s\nwant %s", name, path, got, want)
		}
	}
}
