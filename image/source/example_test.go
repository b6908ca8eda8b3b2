package source_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/image/source"
)

// Image chooses the image for a platform from an index, here an OCI layout
// holding an arm64 image only.
func ExampleImage() {
	img, _ := mutate.ConfigFile(empty.Image, &v1.ConfigFile{OS: "linux", Architecture: "arm64"})
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{
		Add:        img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}},
	})
	dir, _ := os.MkdirTemp("", "example-")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "base")
	layout.Write(out, idx)

	arm64, _ := source.ParsePlatform("linux/arm64")
	got, err := source.Image(context.Background(), "oci:"+out, &arm64)
	if err != nil {
		fmt.Println(err)
		return
	}
	cf, _ := got.ConfigFile()
	fmt.Println(cf.Architecture)

	s390x, _ := source.ParsePlatform("linux/s390x")
	_, err = source.Image(context.Background(), "oci:"+out, &s390x)
	fmt.Println(err != nil)
	// Output:
	// arm64
	// true
}
