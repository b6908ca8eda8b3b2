package exampletest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCopyApp(t *testing.T) {
	shared = t.TempDir()
	t.Cleanup(func() { shared = "" })
	dst := CopyApp(t, "go-web")
	if filepath.Dir(dst) != Dir() {
		t.Errorf("copied to %s, want a directory under %s", dst, Dir())
	}
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err != nil {
		t.Errorf("the copy of testdata/apps/go-web lacks go.mod: %v", err)
	}
}
