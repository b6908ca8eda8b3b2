package run

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

func tarBytes(t testing.TB, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o755}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.body))
		}
		tw.WriteHeader(h)
		io.WriteString(tw, e.body)
	}
	tw.Close()
	return buf.Bytes()
}

// FuzzUnpack feeds arbitrary layer tars to Unpack and checks that nothing
// appears beside the bundle, whatever the layer holds.
func FuzzUnpack(f *testing.F) {
	f.Add(tarBytes(f, ent{name: "a/b", body: "x"}, ent{name: "a/.wh.b"}))
	f.Add(tarBytes(f, ent{name: "l", typ: tar.TypeSymlink, link: "../outside"}, ent{name: "l/pwned", body: "x"}))
	f.Add(tarBytes(f, ent{name: "l", typ: tar.TypeSymlink, link: "/"}, ent{name: "l/../../outside/pwned", body: "x"}))
	f.Add(tarBytes(f, ent{name: "d", typ: tar.TypeSymlink, link: "../../"}, ent{name: "d/outside/.wh.keep"}))
	f.Add(tarBytes(f, ent{name: "h", typ: tar.TypeLink, link: "../outside/keep"}))
	f.Add(tarBytes(f, ent{name: "o/x", body: "1"}, ent{name: "o/.wh..wh..opq"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		top := t.TempDir()
		outside := filepath.Join(top, "outside")
		os.Mkdir(outside, 0o755)
		os.WriteFile(filepath.Join(outside, "keep"), []byte("keep"), 0o644)
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		if err != nil {
			return
		}
		_, _ = Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/x"}}, l), filepath.Join(top, "bundle"), WithMaxSize(1<<20))
		ents, _ := os.ReadDir(top)
		for _, e := range ents {
			if e.Name() != "bundle" && e.Name() != "outside" {
				t.Fatalf("unpacking wrote %s beside the bundle", e.Name())
			}
		}
		ents, _ = os.ReadDir(outside)
		if len(ents) != 1 {
			t.Fatalf("unpacking changed a directory beside the bundle: %v", ents)
		}
		if data, err := os.ReadFile(filepath.Join(outside, "keep")); err != nil || string(data) != "keep" {
			t.Fatalf("unpacking changed outside/keep: %q %v", data, err)
		}
	})
}
