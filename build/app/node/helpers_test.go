package node

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// sharedDir holds what the real-component tests share; TestMain removes it.
var sharedDir string

func TestMain(m *testing.M) {
	var err error
	if sharedDir, err = os.MkdirTemp("", "ingot-app-node-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(sharedDir)
	os.Exit(code)
}

// goldenBase builds examples/<name> from its committed lock for archs.
func goldenBase(ctx context.Context, name string, archs ...string) (*app.BaseIndex, error) {
	dir := filepath.Join(sharedDir, "base-"+name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	src := filepath.Join("..", "..", "..", "examples", name)
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		return nil, err
	}
	s, err := spec.Load(filepath.Join(dir, "ingot.yaml"))
	if err != nil {
		return nil, err
	}
	cacheDir, err := fetch.DefaultDir()
	if err != nil {
		return nil, err
	}
	cache, err := fetch.New(cacheDir)
	if err != nil {
		return nil, err
	}
	res, err := build.Golden(ctx, s, build.WithCache(cache), build.WithArchitectures(archs...))
	if err != nil {
		return nil, fmt.Errorf("building examples/%s: %w", name, err)
	}
	if res.LockWritten {
		return nil, errors.New("the committed lock of examples/" + name + " does not match its spec")
	}
	return &app.BaseIndex{Name: s.Name, Index: res.Index}, nil
}

// copyApp copies testdata/apps/<name> to a fresh directory, so that tests
// can change it and build it from different paths.
func copyApp(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "..", "testdata", "apps", name)
	dst, err := os.MkdirTemp(sharedDir, name+"-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

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

// syncBuffer is a buffer safe for a writer and a reader.
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
	name := fmt.Sprintf("ingot-node-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "delete", name).Run() })
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("loopback up in %s: %v: %s", name, err, out)
	}
	return name
}

// noNodeBase is a one-layer base with a few files and no node: what the
// check must refuse, without building a second golden image.
func noNodeBase(t *testing.T) *app.BaseIndex {
	t.Helper()
	l, err := app.EncodeLayer([]layer.Entry{
		{Path: "usr", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/bin", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/bin/nodejs-not-really", Type: tar.TypeReg, Mode: 0o755, Body: []byte("no")},
	}, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.ConfigFile(img, &v1.ConfigFile{Architecture: "amd64", OS: "linux",
		Config: v1.Config{User: "65532:65532"}, RootFS: v1.RootFS{Type: "layers", DiffIDs: mustDiffIDs(t, l)}})
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	return &app.BaseIndex{Name: "no-node-base", Index: idx}
}

func mustDiffIDs(t *testing.T, ls ...v1.Layer) []v1.Hash {
	t.Helper()
	var out []v1.Hash
	for _, l := range ls {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// writeTgz writes an npm package tarball with files.
func writeTgz(t *testing.T, p string, files map[string]string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func mustAmd64(t *testing.T) v1.Platform {
	t.Helper()
	p, err := image.PlatformFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
