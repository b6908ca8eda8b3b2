package fetch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDefaultDir(t *testing.T) {
	t.Setenv("INGOT_CACHE_DIR", "/tmp/somewhere")
	if d, err := DefaultDir(); err != nil || d != "/tmp/somewhere" {
		t.Errorf("DefaultDir = %q, %v", d, err)
	}
	t.Setenv("INGOT_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg")
	if d, err := DefaultDir(); err != nil || d != filepath.Join("/tmp/xdg", "ingot") {
		t.Errorf("DefaultDir = %q, %v", d, err)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		desc string
		dir  string
		opts []Option
	}{
		{"empty dir", "", nil},
		{"zero parallelism", t.TempDir(), []Option{WithParallelism(0)}},
		{"negative retries", t.TempDir(), []Option{WithRetries(-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if _, err := New(tt.dir, tt.opts...); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestNewSweepsStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(dir); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "tmp", "abc-1")
	fresh := filepath.Join(dir, "tmp", "abc-2")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := New(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale temporary file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("fresh temporary file (another process's download) removed")
	}
}
