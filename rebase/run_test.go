package rebase

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/run"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// TestRunRebased runs a rebased image with runc: the new base's files and
// PATH are what the container sees, and the app's own layer is there.
func TestRunRebased(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc", "go")
	bin := filepath.Join(t.TempDir(), "probe")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../run/testdata/probe")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, out)
	}
	probe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	p := v1.Platform{OS: "linux", Architecture: "amd64"}
	base := func(v string) v1.Image {
		img, err := image.Assemble(p, []image.LayerInfo{{
			Layer: imagetest.FilesLayer(t, map[string]string{"usr/bin/probe": string(probe), "etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/base-" + v: v}),
			Name:  "os",
		}}, image.Config{Env: []string{"PATH=/" + v + "/bin:/bin"}}, epochV1, image.Annotations{Title: "base"})
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	b1, b2 := base("v1"), base("v2")
	bl, _ := b1.Layers()
	app, err := image.Assemble(p, []image.LayerInfo{
		{Layer: bl[0], Name: "os", Base: true},
		{Layer: imagetest.FilesLayer(t, map[string]string{"app/marker": "web"}), Name: "app"},
	}, image.Config{Env: []string{"PATH=/v1/bin:/bin", "MODE=prod"}, Entrypoint: []string{"/usr/bin/probe"}}, epochApp, image.Annotations{Title: "web"})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Image(context.Background(), app, b1, b2)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code, err := run.Run(ctx, out, run.WithArgs([]string{"exists", "/etc/base-v1", "/etc/base-v2", "/app/marker"}),
		run.WithStdout(&stdout), run.WithStderr(&stderr))
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, %v\n%s", code, err, stderr.String())
	}
	var r struct {
		Env    []string
		Exists map[string]bool
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("decoding %q: %v", stdout.String(), err)
	}
	if !slices.Contains(r.Env, "PATH=/v2/bin:/bin") || !slices.Contains(r.Env, "MODE=prod") {
		t.Errorf("container Env = %v", r.Env)
	}
	if r.Exists["/etc/base-v1"] || !r.Exists["/etc/base-v2"] || !r.Exists["/app/marker"] {
		t.Errorf("files = %v", r.Exists)
	}
}
