package command

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

// A real run of the command builder is in build/app/static (on the golden
// nginx base, under runc); these tests check what it produces.

// emptyBase is a base with no layers, enough to assemble on.
func emptyBase(t *testing.T) *app.BaseIndex {
	t.Helper()
	img, err := mutate.ConfigFile(empty.Image, &v1.ConfigFile{Architecture: "amd64", OS: "linux",
		Created: v1.Time{Time: time.Unix(1700000000, 0)}, Config: v1.Config{User: "65532:65532"}, RootFS: v1.RootFS{Type: "layers"}})
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	return &app.BaseIndex{Name: "empty", Index: idx}
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	for name, mode := range map[string]os.FileMode{"run.sh": 0o755, "data.txt": 0o600, "notes.md": 0o644, ".git/HEAD": 0o644, "sub/x": 0o644} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(name), mode); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, ".ingotignore"), []byte("*.md\n"), 0o644)
	base := emptyBase(t)
	tests := []struct {
		desc string
		cmd  []string
		err  string
	}{
		{"program in the directory", []string{"/app/run.sh", "--serve"}, ""},
		{"relative program", []string{"./run.sh"}, ""},
		{"program from the base", []string{"python3", "-m", "http.server"}, ""},
		{"no command", nil, "--cmd"},
		{"missing program", []string{"/app/nope.sh"}, "is not in"},
		{"program not executable", []string{"/app/data.txt"}, "not an executable"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			opts := []app.Option{app.WithBuilders(), app.WithFallback(New()), app.WithKind("command")}
			if tt.cmd != nil {
				opts = append(opts, app.WithCmd(tt.cmd...))
			}
			res, err := app.Build(t.Context(), dir, base, opts...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				if tt.cmd == nil && !errors.Is(err, ErrNoCommand) {
					t.Errorf("error %v, want ErrNoCommand", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			img := res.Images[0]
			if !slices.Equal(img.Entrypoint, tt.cmd) || len(img.Cmd) != 0 {
				t.Errorf("entrypoint %q cmd %q, want %q", img.Entrypoint, img.Cmd, tt.cmd)
			}
			idxImg, _ := res.Index.IndexManifest()
			i, _ := res.Index.Image(idxImg.Manifests[0].Digest)
			cf, _ := i.ConfigFile()
			if cf.Config.WorkingDir != "/app" {
				t.Errorf("workdir %q", cf.Config.WorkingDir)
			}
			ls, _ := i.Layers()
			files := exampletest.LayerFiles(t, ls[len(ls)-1])
			if got := strings.Join(exampletest.Names(files), " "); got != "app/ app/.ingotignore app/data.txt app/run.sh app/sub/ app/sub/x" {
				t.Errorf("app layer holds %s", got)
			}
			if m := files["app/run.sh"].Hdr.Mode; m != 0o755 {
				t.Errorf("run.sh mode %o", m)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	b := New()
	if ok, err := b.Detect(t.TempDir()); !ok || err != nil {
		t.Errorf("Detect = %v, %v; the command builder takes any directory", ok, err)
	}
	if b.Name() != "command" || !strings.Contains(b.(app.Hinter).Hint(), "--cmd") {
		t.Errorf("name %s hint %s", b.Name(), b.(app.Hinter).Hint())
	}
}
