package run

import (
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestRunFromSources runs the same image opened from an OCI layout, a docker
// tarball and a real registry.
func TestRunFromSources(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{Entrypoint: []string{"/bin/probe"}, User: "nonroot", WorkingDir: "/home/nonroot"})
	p := source.DefaultPlatform()
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})

	dir := t.TempDir()
	layoutDir := filepath.Join(dir, "layout")
	if _, err := layout.Write(layoutDir, idx); err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(dir, "image.tar")
	tag, _ := name.NewTag("golden/probe:1")
	if err := tarball.WriteToFile(tarPath, tag, img); err != nil {
		t.Fatal(err)
	}
	refs := map[string]string{
		"layout":         "oci:" + layoutDir,
		"docker tarball": tarPath,
	}
	ref, _ := name.ParseReference(testenv.StartRegistry(t) + "/golden/probe:1")
	if err := remote.WriteIndex(ref, idx, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	refs["registry"] = ref.String()
	for kind, ref := range refs {
		t.Run(kind, func(t *testing.T) {
			got, err := source.Image(t.Context(), ref, nil)
			if err != nil {
				t.Fatal(err)
			}
			r, code := runProbe(t, got)
			if code != 0 {
				t.Fatalf("exit code %d", code)
			}
			if r.UID != 65532 || r.Cwd != "/home/nonroot" {
				t.Errorf("uid %d cwd %q, want 65532 /home/nonroot", r.UID, r.Cwd)
			}
		})
	}
}
