package image

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestWriteTarball(t *testing.T) {
	idx := testIndex(t)
	ref, err := name.ParseReference("registry.example.com/golden/base:1")
	if err != nil {
		t.Fatal(err)
	}
	hostArch := runtime.GOARCH
	if hostArch != "amd64" && hostArch != "arm64" {
		hostArch = "amd64" // not in the index: the first image is chosen
	}
	tests := []struct {
		desc     string
		p        v1.Platform
		wantArch string
	}{
		{"host default", v1.Platform{}, hostArch},
		{"explicit arm64", v1.Platform{Architecture: "arm64"}, "arm64"},
		{"explicit amd64", v1.Platform{OS: "linux", Architecture: "amd64"}, "amd64"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "image.tar")
			if err := WriteTarball(path, ref, idx, tt.p); err != nil {
				t.Fatal(err)
			}
			tag, _ := name.NewTag("registry.example.com/golden/base:1")
			img, err := tarball.ImageFromPath(path, &tag)
			if err != nil {
				t.Fatalf("tarball.ImageFromPath: %v", err)
			}
			if err := validate.Image(img); err != nil {
				t.Fatalf("validate.Image: %v", err)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cf.Architecture != tt.wantArch {
				t.Errorf("architecture %s, want %s", cf.Architecture, tt.wantArch)
			}
			// The config is carried byte for byte, so the lineage survives.
			want, _ := SelectImage(idx, v1.Platform{Architecture: tt.wantArch})
			wn, _ := want.ConfigName()
			if gn, _ := img.ConfigName(); gn != wn {
				t.Errorf("config digest %s, want %s", gn, wn)
			}
			lin, err := ReadLineage(img)
			if err != nil || len(lin.Layers) != 2 || lin.Layers[1].Name != "runtime" {
				t.Errorf("lineage from tarball: %+v, %v", lin, err)
			}
		})
	}
}

func TestWriteTarballMissingPlatform(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "image.tar")
	ref, _ := name.ParseReference("example.com/x:1")
	err := WriteTarball(path, ref, testIndex(t), v1.Platform{Architecture: "s390x"})
	if err == nil || !strings.Contains(err.Error(), "linux/s390x") || !strings.Contains(err.Error(), "linux/arm64/v8") {
		t.Errorf("error %v, want it to name the missing and the available platforms", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left behind: %v", ents)
	}
}

// TestWriteTarballDockerLoad loads the tarball into a Docker daemon when one
// is reachable (none is required: ingot itself is daemonless).
func TestWriteTarballDockerLoad(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("no docker client on $PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, "docker", "info").Run(); err != nil {
		t.Skipf("no Docker daemon reachable (docker info: %v)", err)
	}
	tag := fmt.Sprintf("ingot.test/tarball:%d", time.Now().UnixNano())
	ref, _ := name.ParseReference(tag)
	path := filepath.Join(t.TempDir(), "image.tar")
	if err := WriteTarball(path, ref, testIndex(t), v1.Platform{}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("docker", "load", "-i", path).CombinedOutput()
	if err != nil {
		t.Fatalf("docker load: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "image", "rm", tag).Run() })
	if !strings.Contains(string(out), tag) {
		t.Errorf("docker load output %q does not name %s", out, tag)
	}
	label, err := exec.Command("docker", "image", "inspect", "-f", `{{index .Config.Labels "`+LabelLineage+`"}}`, tag).Output()
	if err != nil || !strings.Contains(string(label), `"name":"runtime"`) {
		t.Errorf("lineage label after docker load: %q, %v", label, err)
	}
}
