package run_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/run"
)

// Unpack writes a bundle that `runc run --bundle DIR ID` can start; Run does
// that and returns the exit code.
func ExampleUnpack() {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	passwd := "app:x:1000:1000::/home/app:/bin/sh\n"
	tw.WriteHeader(&tar.Header{Name: "etc/passwd", Mode: 0o644, Size: int64(len(passwd))})
	io.WriteString(tw, passwd)
	tw.Close()
	layer, _ := tarball.LayerFromReader(bytes.NewReader(buf.Bytes()))
	img, _ := mutate.AppendLayers(empty.Image, layer)
	img, _ = mutate.Config(img, v1.Config{Entrypoint: []string{"/app"}, Cmd: []string{"serve"}, User: "app", WorkingDir: "/srv"})

	dir, _ := os.MkdirTemp("", "example-")
	defer os.RemoveAll(dir)
	b, err := run.Unpack(context.Background(), img, filepath.Join(dir, "bundle"), run.WithArgs([]string{"--port", "8080"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := b.Spec.Process
	fmt.Println(p.Args, p.User.UID, p.User.GID, p.Cwd)
	// Output: [/app --port 8080] 1000 1000 /srv
}
