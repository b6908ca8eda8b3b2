package golang

// Real-component tests: the sample Go web application (testdata/apps/go-web)
// is compiled with the host Go toolchain onto the examples/base golden base,
// built once per test binary from the real Debian archive (through the
// user's download cache), and, as root, run with runc in a network namespace
// the test creates.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, "ingot-app-go-test-") }

// shared is the golden base (examples/base, amd64 and arm64) and the sample
// application built on it, both built once per test binary.
var shared = &exampletest.Fixture{
	Example: "base", Archs: []string{"amd64", "arm64"}, Tools: []string{"go"},
	App:     func(t testing.TB) string { return exampletest.CopyApp(t, "go-web") },
	Options: []app.Option{app.WithBuilders(New()), app.WithOwner("payments <payments@example.com>"), app.WithName("go-web")},
}

func TestGoWebImage(t *testing.T) {
	base, web := shared.Get(t)
	if web.Kind != "go" || len(web.Images) != 2 {
		t.Fatalf("kind %s, %d images, want go and 2", web.Kind, len(web.Images))
	}
	if err := validate.Index(web.Index); err != nil {
		t.Fatalf("invalid index: %v", err)
	}
	baseDigest, _ := base.Index.Digest()
	idxManifest, err := web.Index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if got := idxManifest.Annotations[image.AnnotationBaseDigest]; got != baseDigest.String() {
		t.Errorf("index base.digest %s, want the base index %s", got, baseDigest)
	}
	if got := idxManifest.Annotations[image.AnnotationBaseName]; got != base.Name {
		t.Errorf("index base.name %q, want %q", got, base.Name)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			img := exampletest.Image(t, web.Index, arch)
			bimg := exampletest.Image(t, base.Index, arch)
			m, _ := img.Manifest()
			bm, _ := bimg.Manifest()
			bd, _ := bimg.Digest()
			if m.Annotations[image.AnnotationBaseDigest] != bd.String() {
				t.Errorf("base.digest %s, want the base manifest %s", m.Annotations[image.AnnotationBaseDigest], bd)
			}
			if len(m.Layers) != len(bm.Layers)+1 {
				t.Fatalf("%d layers, want the base's %d and the app", len(m.Layers), len(bm.Layers))
			}
			for i, l := range bm.Layers {
				if m.Layers[i].Digest != l.Digest || m.Layers[i].Size != l.Size {
					t.Errorf("layer %d is %s, want the base's %s untouched", i, m.Layers[i].Digest, l.Digest)
				}
			}
			lin, err := image.ReadLineage(img)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for i, r := range lin.Layers {
				names = append(names, fmt.Sprintf("%s:%v", r.Name, r.Base))
				if want := i < len(bm.Layers); r.Base != want {
					t.Errorf("layer %d (%s) base=%v, want %v", i, r.Name, r.Base, want)
				}
			}
			if got := strings.Join(names, " "); got != "os:true tls:true system:true app:false" {
				t.Errorf("layers %s", got)
			}
			if app := lin.Layers[len(lin.Layers)-1]; app.Owner != "payments <payments@example.com>" {
				t.Errorf("app layer owner %q", app.Owner)
			}
			if lin.Layers[1].Owner != "security <security@example.com>" {
				t.Errorf("tls layer owner %q, want the base's", lin.Layers[1].Owner)
			}
			cf, _ := img.ConfigFile()
			bcf, _ := bimg.ConfigFile()
			c := cf.Config
			if c.User != "65532:65532" || strings.Join(c.Entrypoint, " ") != "/app/go-web" || c.WorkingDir != "/app" {
				t.Errorf("user %q, entrypoint %q, workdir %q", c.User, c.Entrypoint, c.WorkingDir)
			}
			if strings.Join(c.Env, " ") != strings.Join(bcf.Config.Env, " ") {
				t.Errorf("env %q, want the base's %q", c.Env, bcf.Config.Env)
			}
			if !cf.Created.Equal(bcf.Created.Time) {
				t.Errorf("created %s, want the base's %s (SOURCE_DATE_EPOCH)", cf.Created, bcf.Created)
			}
			if cf.Architecture != arch {
				t.Errorf("architecture %s", cf.Architecture)
			}
			checkBinary(t, img, arch, bcf.Created.Time)
		})
	}
}

// checkBinary checks the app layer holds only /app/go-web, root-owned,
// for arch, stamped at epoch.
func checkBinary(t *testing.T, img v1.Image, arch string, epoch time.Time) {
	t.Helper()
	layers, _ := img.Layers()
	files := exampletest.LayerFiles(t, layers[len(layers)-1])
	bin, ok := files["app/go-web"]
	if !ok || len(files) != 2 {
		t.Fatalf("app layer has %v, want app/ and app/go-web", exampletest.Names(files))
	}
	if bin.Hdr.Uid != 0 || bin.Hdr.Gid != 0 || bin.Hdr.Mode != 0o755 || !bin.Hdr.ModTime.Equal(epoch) {
		t.Errorf("app/go-web: uid %d gid %d mode %o mtime %s", bin.Hdr.Uid, bin.Hdr.Gid, bin.Hdr.Mode, bin.Hdr.ModTime)
	}
	machine := map[string][]byte{"amd64": {0x3e, 0x00}, "arm64": {0xb7, 0x00}}[arch]
	if len(bin.Body) < 20 || string(bin.Body[:4]) != "\x7fELF" || !bytes.Equal(bin.Body[18:20], machine) {
		t.Errorf("app/go-web is not a %s ELF binary", arch)
	}
	if bytes.Contains(bin.Body, []byte(exampletest.Dir())) {
		t.Errorf("the binary holds the build path %s", exampletest.Dir())
	}
}

func TestGoWebRuns(t *testing.T) {
	_, web := shared.Get(t)
	out, stderr := exampletest.Serve(t, exampletest.Image(t, web.Index, "amd64"), 8080, "/")
	if got, want := out, "hello from go-web\n\n200"; got != want {
		t.Errorf("GET / = %q, want %q", got, want)
	}
	if !strings.Contains(stderr.String(), "as uid 65532") {
		t.Errorf("the server does not run as 65532: %s", stderr.String())
	}
}

func TestGoWebReproducible(t *testing.T) {
	base, web := shared.Get(t)
	// Another path, and host settings that would change the binary if they
	// reached the go command.
	t.Setenv("GOFLAGS", "-ldflags=-X=main.body=leaked")
	t.Setenv("GOAMD64", "v3")
	t.Setenv("CGO_ENABLED", "1")
	again, err := app.Build(t.Context(), exampletest.CopyApp(t, "go-web"), base,
		app.WithBuilders(New()), app.WithOwner("payments <payments@example.com>"), app.WithName("go-web"))
	if err != nil {
		t.Fatal(err)
	}
	if again.IndexDigest != web.IndexDigest {
		t.Errorf("rebuild from another path gives index %s, want %s", again.IndexDigest, web.IndexDigest)
		for i := range web.Images {
			t.Logf("%s: %s vs %s", web.Images[i].Platform, web.Images[i].Digest, again.Images[i].Digest)
		}
	}
}

func TestGoWebChangeOnlyAppLayer(t *testing.T) {
	base, web := shared.Get(t)
	dir := exampletest.CopyApp(t, "go-web")
	src := filepath.Join(dir, "main.go")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"hello from go-web\n"`), []byte(`"hello again\n"`), 1)
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := app.Build(t.Context(), dir, base, app.WithBuilders(New()),
		app.WithOwner("payments <payments@example.com>"), app.WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	before, after := web.Images[0], changed.Images[0]
	if before.Platform != "linux/amd64" || after.Platform != "linux/amd64" {
		t.Fatalf("platforms %s, %s", before.Platform, after.Platform)
	}
	if before.Digest == after.Digest {
		t.Fatal("changing the code did not change the image")
	}
	n := len(before.Layers)
	if len(after.Layers) != n {
		t.Fatalf("%d layers, want %d", len(after.Layers), n)
	}
	for i := range n - 1 {
		if before.Layers[i].Digest != after.Layers[i].Digest {
			t.Errorf("layer %d (%s) changed: %s -> %s", i, before.Layers[i].Name, before.Layers[i].Digest, after.Layers[i].Digest)
		}
	}
	if before.Layers[n-1].Digest == after.Layers[n-1].Digest {
		t.Error("the app layer did not change")
	}
}

func TestBadInput(t *testing.T) {
	base, _ := shared.Get(t)
	broken := exampletest.CopyApp(t, "go-web")
	if err := os.WriteFile(filepath.Join(broken, "broken.go"), []byte("package main\n\nvar x = undefinedThing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc  string
		dir   string
		base  *app.BaseIndex
		check func(t *testing.T, err error)
	}{
		{"no recognised application", t.TempDir(), base, func(t *testing.T, err error) {
			if !errors.Is(err, app.ErrNoApp) || !strings.Contains(err.Error(), "go.mod") || !strings.Contains(err.Error(), "--cmd") {
				t.Errorf("error %v, want ErrNoApp naming go.mod and --cmd", err)
			}
		}},
		{"failing compile shows the compiler output", broken, base, func(t *testing.T, err error) {
			var ce *CompileError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "undefined: undefinedThing") || !strings.Contains(err.Error(), "broken.go:3") {
				t.Errorf("error %v, want a CompileError with the compiler's message", err)
			}
		}},
		{"no base", exampletest.CopyApp(t, "go-web"), nil, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "--base") {
				t.Errorf("error %v, want one asking for --base", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := app.Build(t.Context(), tt.dir, tt.base, app.WithBuilders(New()))
			tt.check(t, err)
		})
	}
	t.Run("missing base", func(t *testing.T) {
		_, err := app.OpenBase(t.Context(), filepath.Join(t.TempDir(), "nope"))
		if err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("error %v, want one naming the base", err)
		}
	})
}
