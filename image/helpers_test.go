package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

var epoch = time.Unix(1700000000, 0).UTC()

// fileLayer returns a deterministic gzip layer holding one file.
func fileLayer(t testing.TB, path, content string) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: path, Mode: 0o644, Size: int64(len(content)), ModTime: epoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tw, content); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testImage assembles a two-layer image for arch from deterministic layers.
func testImage(t testing.TB, arch string) v1.Image {
	t.Helper()
	p, err := PlatformFor(arch)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Assemble(p, testLayers(t, arch), testConfig(), epoch, testAnnotations())
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func testLayers(t testing.TB, arch string) []LayerInfo {
	return []LayerInfo{
		{Layer: fileLayer(t, "etc/os-release", "ID=debian "+arch+"\n"), Name: "os", Owner: "platform <platform@example.com>", Packages: []string{"base-files=12.4+deb12u5", "libc6=2.36-9+deb12u7"}},
		{Layer: fileLayer(t, "usr/bin/app", "app "+arch+"\n"), Name: "runtime", Owner: "runtime", Packages: []string{"python3=3.11.2-1+b1"}},
	}
}

func testConfig() Config {
	return Config{
		User:         "65532:65532",
		Env:          []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TZ=UTC"},
		Entrypoint:   []string{"/usr/bin/app"},
		Cmd:          []string{"--help"},
		WorkingDir:   "/home/nonroot",
		ExposedPorts: []string{"8080/tcp"},
		Labels:       map[string]string{"team": "platform"},
	}
}

func testAnnotations() Annotations {
	return Annotations{
		Title:       "registry.example.com/golden/base",
		Description: "minimal base",
		Vendor:      "platform",
		SpecDigest:  "sha256:" + string(bytes.Repeat([]byte("a"), 64)),
		LockDigest:  "sha256:" + string(bytes.Repeat([]byte("b"), 64)),
		Extra:       map[string]string{"com.example.tier": "gold", AnnotationSource: "https://git.example.com/golden"},
	}
}

func testIndex(t testing.TB) v1.ImageIndex {
	t.Helper()
	idx, err := Index([]v1.Image{testImage(t, "amd64"), testImage(t, "arm64")}, testAnnotations())
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func mustChild(t testing.TB, idx v1.ImageIndex, i int) v1.Image {
	t.Helper()
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := idx.Image(im.Manifests[i].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func asTransportError(err error, target **transport.Error) bool {
	return errors.As(err, target)
}
