package static

import (
	"archive/tar"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

type tarFile struct {
	hdr  *tar.Header
	body []byte
}

// tarFiles reads a layer's files.
func tarFiles(t *testing.T, l v1.Layer) map[string]tarFile {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out := map[string]tarFile{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = tarFile{h, b}
	}
}

func keys(m map[string]tarFile) []string { return slices.Sorted(maps.Keys(m)) }

type syncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

// netns creates a network namespace with loopback up, removed when t ends.
func netns(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("ingot-static-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "delete", name).Run() })
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("loopback up in %s: %v: %s", name, err, out)
	}
	return name
}

// fakeBase is a one-platform base made of layers of entries, with an
// entrypoint: for the hermetic tests of what the builder reads from a base.
// Each layer applies over the previous ones, whiteouts included.
func fakeBase(t *testing.T, name string, entrypoint []string, layers ...[]layer.Entry) *app.BaseIndex {
	t.Helper()
	img := empty.Image
	var diffIDs []v1.Hash
	for _, entries := range layers {
		l, err := app.EncodeLayer(entries, time.Unix(1700000000, 0))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
		d, _ := l.DiffID()
		diffIDs = append(diffIDs, d)
	}
	img, err := mutate.ConfigFile(img, &v1.ConfigFile{Architecture: "amd64", OS: "linux",
		Config: v1.Config{User: "65532:65532", Entrypoint: entrypoint}, RootFS: v1.RootFS{Type: "layers", DiffIDs: diffIDs}})
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	return &app.BaseIndex{Name: name, Index: idx}
}

func mustPlatform(t *testing.T) v1.Platform {
	t.Helper()
	p, err := image.PlatformFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
