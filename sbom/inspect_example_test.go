package sbom_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/sbom"
)

// ExampleFromImage inspects an image whose second layer upgrades a Debian
// package and removes an npm package with a whiteout.
func ExampleFromImage() {
	layer := func(files ...string) []byte { // name, body, name, body...
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for i := 0; i < len(files); i += 2 {
			tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o644, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg})
			io.WriteString(tw, files[i+1])
		}
		tw.Close()
		return buf.Bytes()
	}
	status := func(version string) string {
		return "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: " + version + "\n\n" +
			"Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n"
	}
	img := empty.Image
	for _, files := range [][]byte{
		layer("etc/os-release", "ID=debian\nVERSION_ID=12\n",
			"var/lib/dpkg/status", status("3.0.11-1~deb12u2"),
			"app/node_modules/left-pad/package.json", `{"name": "left-pad", "version": "1.3.0"}`),
		layer("var/lib/dpkg/status", status("3.0.15-1~deb12u1"),
			"app/node_modules/.wh.left-pad", ""),
	} {
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(files)), nil })
		if err != nil {
			panic(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			panic(err)
		}
	}
	doc, err := sbom.FromImage(context.Background(), img)
	if err != nil {
		panic(err)
	}
	for _, p := range doc.Packages {
		fmt.Println("layer", p.Layer, p.PURL)
	}
	// Output:
	// layer 1 pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl
	// layer 0 pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12
}
