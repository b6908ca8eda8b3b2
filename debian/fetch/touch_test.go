package fetch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// mtime returns path's modification time, without following a symlink.
func mtime(t *testing.T, path string) time.Time {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime()
}

func TestTouch(t *testing.T) {
	now := time.Now()
	old := now.Add(-48 * time.Hour)
	recent := now.Add(-10 * time.Minute)
	tests := []struct {
		desc  string
		setup func(t *testing.T, path string)
		want  time.Time // the mtime afterwards
	}{
		{"an old file is touched", func(t *testing.T, p string) { write(t, p, old) }, now},
		{"an old directory is touched", func(t *testing.T, p string) {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(p, old, old)
		}, now},
		{"an entry used within the hour is not written", func(t *testing.T, p string) { write(t, p, recent) }, recent},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "entry")
			tt.setup(t, p)
			touchAt(p, now)
			if got := mtime(t, p); !got.Equal(tt.want) {
				t.Errorf("mtime %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("a symlink and its target are left alone", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "target")
		write(t, target, old)
		link := filepath.Join(dir, "link")
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		touchAt(link, now)
		if got := mtime(t, target); !got.Equal(old) {
			t.Errorf("the symlink's target was touched: %v", got)
		}
	})
	t.Run("a missing entry is no error", func(t *testing.T) {
		touchAt(filepath.Join(t.TempDir(), "gone"), now)
	})
}

func write(t *testing.T, path string, mt time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

// A cache hit records the entry's last use; a download is written now.
func TestGetHitRecordsUse(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	it := s.put("/pool/a.deb", []byte("a package"))
	path, err := c.Get(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if age := time.Since(mtime(t, path)); age > TouchAfter {
		t.Fatalf("a fresh download is dated %v ago", age)
	}
	old := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), it); err != nil {
		t.Fatal(err)
	}
	if age := time.Since(mtime(t, path)); age > TouchAfter {
		t.Errorf("after a hit the entry is dated %v ago, want now", age)
	}
	if s.hits.Load() != 1 {
		t.Errorf("%d requests, want 1 (the second Get is a hit)", s.hits.Load())
	}
}

// A hit whose entry vanished (pruned by another process) is a miss: the
// file is downloaded again.
func TestGetPrunedEntryIsMiss(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	it := s.put("/pool/b.deb", []byte("b package"))
	path, err := c.Get(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), it); err != nil {
		t.Fatalf("Get after the entry was pruned: %v", err)
	}
	if _, err := os.Stat(path); err != nil || s.hits.Load() != 2 {
		t.Errorf("entry %v, %d requests, want it fetched again", err, s.hits.Load())
	}
}
