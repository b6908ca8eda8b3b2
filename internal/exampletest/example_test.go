package exampletest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCopyApp(t *testing.T) {
	dir := t.TempDir()
	dst := CopyApp(t, dir, "go-web")
	if filepath.Dir(dst) != dir {
		t.Errorf("copied to %s, want a directory under %s", dst, dir)
	}
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err != nil {
		t.Errorf("the copy of testdata/apps/go-web lacks go.mod: %v", err)
	}
}
