package image_test

import (
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/image"
)

func ExampleAssemble() {
	// Real layers come from image/layer; a static blob stands in here.
	os := static.NewLayer([]byte("os layer"), types.OCIUncompressedLayer)
	img, err := image.Assemble(
		v1.Platform{Architecture: "arm64"},
		[]image.LayerInfo{{Layer: os, Name: "os", Owner: "platform <platform@example.com>", Packages: []string{"base-files=12.4+deb12u5"}}},
		image.Config{User: "65532:65532", Env: []string{"PATH=/usr/bin:/bin"}},
		time.Unix(1700000000, 0),
		image.Annotations{Title: "registry.example.com/golden/base", Vendor: "platform"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	lin, err := image.ReadLineage(img)
	if err != nil {
		fmt.Println(err)
		return
	}
	cf, _ := img.ConfigFile()
	fmt.Println(cf.Architecture, cf.Variant, cf.Created.UTC().Format(time.RFC3339))
	fmt.Println(cf.History[0].CreatedBy)
	fmt.Println(lin.Layers[0].Name, lin.Layers[0].Owner, lin.Layers[0].Packages)
	// Output:
	// arm64 v8 2023-11-14T22:13:20Z
	// ingot: layer os (platform <platform@example.com>)
	// os platform <platform@example.com> [base-files=12.4+deb12u5]
}
