package exposure

import (
	"bytes"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// FuzzAnalyze feeds arbitrary bytes as an image layer and as ld.so.conf:
// Analyze must return a report or an error, never panic or loop.
func FuzzAnalyze(f *testing.F) {
	seed := func(files ...tf) []byte {
		l := layerOf(f, files...)
		rc, _ := l.Uncompressed()
		b, _ := io.ReadAll(rc)
		return b
	}
	f.Add(seed(tf{Path: "bin", Link: "usr/bin"}, tf{Path: "usr/bin/app", Link: "../../bin/app"}), []byte("include *.conf\n"))
	f.Add(seed(tf{Path: "usr/bin/app", Body: []byte("\x7fELF" + string(make([]byte, 100))), Mode: 0o755}, tf{Path: "usr/.wh..wh..opq"}), []byte("/lib\n"))
	f.Fuzz(func(t *testing.T, layerTar, conf []byte) {
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(layerTar)), nil })
		if err != nil {
			t.Skip()
		}
		img := imagetest.Image(t, "amd64", v1.Config{Entrypoint: []string{"app"}, Env: []string{"PATH=/usr/bin:/bin"}},
			layerOf(t, tf{Path: "etc/ld.so.conf", Body: conf}, tf{Path: "etc/ld.so.conf.d/a.conf", Body: conf}), l)
		r, err := Analyze(t.Context(), img, WithMaxFile(1<<20), WithMaxEntries(10000))
		if err == nil && r.Entrypoint != "app" {
			t.Fatalf("entrypoint %q", r.Entrypoint)
		}
	})
}
