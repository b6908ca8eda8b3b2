package app_test

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/command"
	"github.com/ingot-dev/ingot/build/app/golang"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

func ExampleRegistry_Detect() {
	dir, _ := os.MkdirTemp("", "ingot-example-")
	defer os.RemoveAll(dir)
	kinds := app.Registry{golang.New()}

	_, err := kinds.Detect(dir)
	fmt.Println(errors.Is(err, app.ErrNoApp))

	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/web\n"), 0o644)
	b, _ := kinds.Detect(dir)
	fmt.Println(b.Name())
	// Output:
	// true
	// go
}

// A directory of no known kind, with a command, on a one-layer base.
func ExampleBuild() {
	dir, _ := os.MkdirTemp("", "ingot-example-")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\necho hi\n"), 0o755)

	lb := layer.NewBuilder()
	lb.Add("example", layer.Entry{Path: "etc/os-release", Type: tar.TypeReg, Mode: 0o644, Body: []byte("ID=debian\n")})
	osLayer, _ := lb.Layer()
	baseImg, _ := image.Assemble(v1.Platform{Architecture: "amd64"},
		[]image.LayerInfo{{Layer: osLayer, Name: "os", Owner: "platform"}},
		image.Config{User: "65532:65532"}, time.Unix(1700000000, 0), image.Annotations{})
	baseIdx, _ := image.Index([]v1.Image{baseImg}, image.Annotations{})

	res, err := app.Build(context.Background(), dir,
		&app.BaseIndex{Name: "registry.example.com/golden/base:1", Index: baseIdx},
		app.WithBuilders(golang.New()), app.WithFallback(command.New()),
		app.WithCmd("/app/run.sh"), app.WithOwner("payments"))
	if err != nil {
		fmt.Println(err)
		return
	}
	img := res.Images[0]
	fmt.Println(res.Kind, img.Platform, img.Entrypoint, img.User)
	for _, l := range img.Layers {
		fmt.Println(l.Name, l.Owner, l.Base)
	}
	// Output:
	// command linux/amd64 [/app/run.sh] 65532:65532
	// os platform true
	// app payments false
}
