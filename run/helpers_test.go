package run

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// ent is one tar entry of a test layer.
type ent struct {
	name     string
	typ      byte // tar.TypeReg when 0
	body     string
	link     string
	mode     int64
	uid, gid int
}

var epoch = time.Unix(1700000000, 0)

func layerOf(t testing.TB, ents ...ent) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: epoch, Format: tar.FormatPAX}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Mode == 0 {
			h.Mode = 0o644
			if h.Typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := io.WriteString(tw, e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var (
	probeOnce sync.Once
	probeBin  []byte
	probeErr  error
)

// probe returns the static test program of testdata/probe, built once.
func probe(t testing.TB) []byte {
	t.Helper()
	probeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ingot-probe-")
		if err != nil {
			probeErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "probe")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./testdata/probe")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			probeErr = err
			probeBin = msg
			return
		}
		probeBin, probeErr = os.ReadFile(out)
	})
	if probeErr != nil {
		t.Fatalf("building testdata/probe: %v\n%s", probeErr, probeBin)
	}
	return probeBin
}

const testPasswd = "root:x:0:0:root:/root:/bin/sh\n" +
	"# a comment\n" +
	"app:x:1000:1000:App:/home/app:/bin/sh\n" +
	"nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"

const testGroup = "root:x:0:\n" +
	"app:x:1000:\n" +
	"staff:x:50:app\n" +
	"nonroot:x:65532:\n"

// probeImage is a tiny image: the probe as /bin/probe plus account files,
// then a layer deleting /deleted and making /opaque opaque.
func probeImage(t testing.TB, cfg v1.Config) v1.Image {
	t.Helper()
	base := layerOf(t,
		ent{name: "bin/", typ: tar.TypeDir},
		ent{name: "bin/probe", body: string(probe(t)), mode: 0o755},
		ent{name: "etc/", typ: tar.TypeDir},
		ent{name: "etc/passwd", body: testPasswd},
		ent{name: "etc/group", body: testGroup},
		ent{name: "deleted", body: "gone soon"},
		ent{name: "opaque/", typ: tar.TypeDir},
		ent{name: "opaque/old", body: "old"},
		ent{name: "home/app/", typ: tar.TypeDir, uid: 1000, gid: 1000},
	)
	upper := layerOf(t,
		ent{name: ".wh.deleted", body: ""},
		ent{name: "opaque/new", body: "new"},
		ent{name: "opaque/.wh..wh..opq", body: ""},
	)
	if cfg.Entrypoint == nil && cfg.Cmd == nil {
		cfg.Entrypoint = []string{"/bin/probe"}
	}
	return imagetest.Image(t, runtime.GOARCH, cfg, base, upper)
}
