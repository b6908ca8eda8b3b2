package rebase_test

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/rebase"
)

// withConfig returns img with layers added and the config edited.
func withConfig(img v1.Image, edit func(*v1.Config), layers ...string) v1.Image {
	for _, l := range layers {
		img, _ = mutate.AppendLayers(img, static.NewLayer([]byte(l), types.OCIUncompressedLayer))
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	edit(&cf.Config)
	img, _ = mutate.ConfigFile(img, cf)
	return img
}

// An app built FROM a Debian image moves to a newer Debian point release:
// the base's PATH follows, the app's own Env stays, its layer is kept.
func ExampleImage() {
	debian12 := withConfig(empty.Image, func(c *v1.Config) { c.Env = []string{"PATH=/usr/bin"} }, "debian 12.0")
	debian125 := withConfig(empty.Image, func(c *v1.Config) { c.Env = []string{"PATH=/usr/local/bin:/usr/bin"} }, "debian 12.5")
	app := withConfig(debian12, func(c *v1.Config) { c.Env = append(c.Env, "MODE=prod") }, "the app")

	out, ch, err := rebase.Image(context.Background(), app, debian12, debian125,
		rebase.WithOldBaseName("example.org/debian:12"), rebase.WithNewBaseName("example.org/debian:12.5"))
	if err != nil {
		fmt.Println(err)
		return
	}
	cf, _ := out.ConfigFile()
	fmt.Println(ch.Platform, "app layers kept:", ch.AppLayers)
	fmt.Println(cf.Config.Env)

	// The same app is not on an unrelated base.
	_, err = rebase.Plan(context.Background(), app, debian125, debian125,
		rebase.WithOldBaseName("example.org/debian:12.5"), rebase.WithNewBaseName("example.org/debian:12.5"))
	fmt.Println(err != nil)
	// Output:
	// linux/amd64 app layers kept: 1
	// [PATH=/usr/local/bin:/usr/bin MODE=prod]
	// true
}
