package fetch

import (
	"path/filepath"
	"testing"
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
