package image

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestWriteLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing", "parents", "out") // WriteLayout creates the parents
	idx := testIndex(t)
	want, _ := idx.Digest()

	for _, round := range []string{"new directory", "over a previous layout"} {
		t.Run(round, func(t *testing.T) {
			if err := WriteLayout(dir, idx); err != nil {
				t.Fatal(err)
			}
			got, err := layout.ImageIndexFromPath(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate.Index(got); err != nil {
				t.Fatalf("validate.Index of the layout: %v", err)
			}
			if d, _ := got.Digest(); d != want {
				t.Errorf("layout index digest %s, want %s", d, want)
			}
			lin, err := ReadLineage(mustChild(t, got, 0))
			if err != nil || len(lin.Layers) != 2 {
				t.Errorf("lineage from layout: %+v, %v", lin, err)
			}
		})
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("temporary directories left behind: %v", ents)
	}
	t.Run("into an empty directory", func(t *testing.T) {
		empty := t.TempDir()
		if err := WriteLayout(empty, idx); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(empty, "index.json")); err != nil {
			t.Error(err)
		}
	})
}

func TestWriteLayoutRefuses(t *testing.T) {
	tests := []struct {
		desc  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"a regular file", func(t *testing.T, p string) { write(t, p, "x") }, "is not a directory"},
		{"a directory with other files", func(t *testing.T, p string) {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(p, "precious.txt"), "keep me")
		}, "not an OCI layout"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out")
			tt.setup(t, p)
			err := WriteLayout(p, testIndex(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %v, want it to name %s and contain %q", err, p, tt.want)
			}
			if fi, err := os.Stat(p); err != nil || (fi.IsDir() && !exists(filepath.Join(p, "precious.txt"))) {
				t.Errorf("the existing %s was touched", p)
			}
		})
	}
}
