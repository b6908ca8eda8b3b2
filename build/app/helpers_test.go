package app

import (
	"archive/tar"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// baseCreated is the synthetic base's creation time.
var baseCreated = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testBase is a small base built in memory: two layers ("os" owned by
// platform, "tls" by security) per architecture, running as nonroot.
func testBase(t testing.TB, user string, archs ...string) *BaseIndex {
	t.Helper()
	var imgs []v1.Image
	for _, arch := range archs {
		p, err := image.PlatformFor(arch)
		if err != nil {
			t.Fatal(err)
		}
		mk := func(path, body string) image.LayerInfo {
			b := layer.NewBuilder(layer.WithEpoch(baseCreated))
			if err := b.Add("test", layer.Entry{Path: path, Type: tar.TypeReg, Mode: 0o644, Body: []byte(body + arch)}); err != nil {
				t.Fatal(err)
			}
			l, err := b.Layer()
			if err != nil {
				t.Fatal(err)
			}
			return image.LayerInfo{Layer: l}
		}
		osl, tls := mk("etc/os-release", "ID=debian\n"), mk("etc/ssl/cert.pem", "cert")
		osl.Name, osl.Owner, osl.Packages = "os", "platform <p@example.com>", []string{"base-files=12"}
		tls.Name, tls.Owner = "tls", "security"
		img, err := image.Assemble(p, []image.LayerInfo{osl, tls}, image.Config{
			User: user, Env: []string{"PATH=/usr/bin:/bin", "SSL_CERT_FILE=/etc/ssl/cert.pem"},
			Labels: map[string]string{"org.example.tier": "gold"}, ExposedPorts: []string{"9090/tcp"},
		}, baseCreated, image.Annotations{Title: "registry.example.com/golden/base"})
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	idx, err := image.Index(imgs, image.Annotations{Title: "registry.example.com/golden/base"})
	if err != nil {
		t.Fatal(err)
	}
	return &BaseIndex{Name: "registry.example.com/golden/base:1", Index: idx}
}

// fake is a Builder for tests: it recognises a directory with a fake.txt,
// puts deps/ in a "deps" layer and everything else in "app".
type fake struct {
	name string
	mu   sync.Mutex
	reqs []Request
	cfg  Config
	err  error
}

var _ Builder = (*fake)(nil)

func (f *fake) Name() string { return f.name }
func (f *fake) Hint() string { return f.name + ".txt" }

func (f *fake) Detect(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, f.name+".txt"))
	return err == nil, nil
}

func (f *fake) Build(_ context.Context, req Request) (*Output, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	out := &Output{Config: f.cfg}
	if _, err := os.Stat(filepath.Join(req.Dir, "deps")); err == nil {
		deps, err := Files(filepath.Join(req.Dir, "deps"), "app/deps")
		if err != nil {
			return nil, err
		}
		out.Layers = append(out.Layers, Layer{Name: "deps", Entries: deps, Packages: []string{"left-pad=1.3.0"}})
	}
	files, err := Files(req.Dir, "app", WithExclude("deps"))
	if err != nil {
		return nil, err
	}
	out.Layers = append(out.Layers, Layer{Name: "app", Entries: files})
	return out, nil
}

// writeTree writes files (path -> content) under a new directory.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
