package fetch

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGet(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	it := s.put("/pool/a.deb", []byte("hello deb"))

	path, err := c.Get(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if path != c.Path(it.SHA256) {
		t.Errorf("path = %s, want %s", path, c.Path(it.SHA256))
	}
	if !strings.Contains(path, filepath.Join("sha256", it.SHA256[:2], it.SHA256)) {
		t.Errorf("path %s is not content-addressed", path)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "hello deb" {
		t.Fatalf("cached content = %q, %v", got, err)
	}

	t.Run("cache hit needs no network", func(t *testing.T) {
		s.Close()
		before := s.hits.Load()
		p2, err := c.Get(t.Context(), it)
		if err != nil {
			t.Fatal(err)
		}
		if p2 != path || s.hits.Load() != before {
			t.Errorf("cache hit went to the network or moved: %s", p2)
		}
	})
}

func TestGetCorruptEntryRefetched(t *testing.T) {
	tests := []struct {
		desc    string
		corrupt []byte
	}{
		{"same size, wrong bytes", []byte("HELLO DEB")},
		{"truncated", []byte("hello")},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := newServer(t)
			c := newCache(t)
			it := s.put("/a.deb", []byte("hello deb"))
			path := c.Path(it.SHA256)
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, tt.corrupt, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Get(t.Context(), it); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); string(got) != "hello deb" {
				t.Errorf("entry not repaired: %q", got)
			}
			if s.hits.Load() != 1 {
				t.Errorf("server hits = %d, want 1", s.hits.Load())
			}
		})
	}
}

func TestGetMismatchLeavesCacheClean(t *testing.T) {
	tests := []struct {
		desc   string
		mutate func(*Item)
		target error
	}{
		{"hash mismatch", func(it *Item) { it.SHA256 = strings.Repeat("ab", 32) }, ErrDigestMismatch},
		{"server sends more", func(it *Item) { it.Size -= 2 }, ErrSizeMismatch},
		{"server sends less", func(it *Item) { it.Size += 5 }, ErrSizeMismatch},
		{"unknown size, wrong hash", func(it *Item) { it.Size = -1; it.SHA256 = strings.Repeat("0", 64) }, ErrDigestMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := newServer(t)
			c := newCache(t)
			it := s.put("/b.deb", []byte("some package bytes"))
			tt.mutate(&it)
			_, err := c.Get(t.Context(), it)
			if !errors.Is(err, tt.target) {
				t.Fatalf("err = %v, want %v", err, tt.target)
			}
			if !strings.Contains(err.Error(), it.URL) {
				t.Errorf("error does not name the URL: %v", err)
			}
			if s.hits.Load() != 1 {
				t.Errorf("a mismatch was retried: %d requests", s.hits.Load())
			}
			assertEmpty(t, c.Dir())
		})
	}

	t.Run("digest error carries want and got", func(t *testing.T) {
		s := newServer(t)
		c := newCache(t)
		it := s.put("/c.deb", []byte("x"))
		good := it.SHA256
		it.SHA256 = strings.Repeat("cd", 32)
		_, err := c.Get(t.Context(), it)
		var de *DigestError
		if !errors.As(err, &de) {
			t.Fatalf("err = %v, want *DigestError", err)
		}
		if de.Got != good || de.Want != it.SHA256 || de.URL != it.URL {
			t.Errorf("DigestError = %+v", de)
		}
	})
}

func TestGetRetries(t *testing.T) {
	tests := []struct {
		desc     string
		failures int
		status   int // fixed status instead of failures
		wantErr  string
		wantHits int64
	}{
		{"retries then success", 3, 0, "", 4},
		{"retries exhausted", 5, 0, "giving up after 5 attempts", 5},
		{"404 not retried", 0, 404, "404", 1},
		{"403 not retried", 0, 403, "403", 1},
		{"429 retried", 0, 429, "giving up after 5 attempts", 5},
		{"408 retried", 0, 408, "giving up", 5},
		{"500 retried", 0, 500, "giving up", 5},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := newServer(t)
			c := newCache(t, WithRetries(4))
			it := s.put("/r.deb", []byte("retry me"))
			s.failNext("/r.deb", tt.failures)
			if tt.status != 0 {
				s.status("/r.deb", tt.status)
			}
			path, err := c.Get(t.Context(), it)
			if s.hits.Load() != tt.wantHits {
				t.Errorf("requests = %d, want %d", s.hits.Load(), tt.wantHits)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := os.ReadFile(path); string(got) != "retry me" {
					t.Errorf("content = %q", got)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range []string{tt.wantErr, it.URL, "INGOT_MIRROR"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			var se *StatusError
			if !errors.As(err, &se) {
				t.Errorf("error is not a *StatusError: %v", err)
			}
			assertEmpty(t, c.Dir())
		})
	}

	t.Run("mirror down names URL and what to check", func(t *testing.T) {
		s := newServer(t)
		c := newCache(t, WithRetries(1))
		it := s.put("/d.deb", []byte("x"))
		s.Close()
		_, err := c.Get(t.Context(), it)
		if err == nil || !strings.Contains(err.Error(), it.URL) || !strings.Contains(err.Error(), "is the mirror reachable") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestGetContextCancel(t *testing.T) {
	s := newServer(t)
	c := newCache(t, WithBackoff(1<<40)) // a retry would wait forever
	it := s.put("/e.deb", []byte("x"))
	s.failNext("/e.deb", 100)
	ctx, cancel := context.WithCancel(t.Context())
	s.hook = cancel // cancel during the first attempt; the backoff must notice
	_, err := c.Get(ctx, it)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertEmpty(t, c.Dir())
}

func TestGetBadDigest(t *testing.T) {
	c := newCache(t)
	for _, sum := range []string{"", "abc", strings.Repeat("g", 64), strings.Repeat("a", 65)} {
		if _, err := c.Get(t.Context(), Item{URL: "http://127.0.0.1:1/x", Size: 1, SHA256: sum}); err == nil || !strings.Contains(err.Error(), "64 hex") {
			t.Errorf("SHA256 %q: err = %v", sum, err)
		}
	}
}

func TestGetUppercaseDigest(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	it := s.put("/u.deb", []byte("upper"))
	it.SHA256 = strings.ToUpper(it.SHA256)
	path, err := c.Get(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(path), []byte(strings.ToLower(it.SHA256))) {
		t.Errorf("path %s not lower-case", path)
	}
}

// assertEmpty fails if the cache holds any file (entries or temp files).
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("cache not clean: %s", p)
		}
		return nil
	})
}

func TestGetUnknownSize(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	it := s.put("/unknown.deb", []byte("size not known in advance"))
	it.Size = -1
	path, err := c.Get(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "size not known in advance" {
		t.Errorf("content = %q", got)
	}
	// The hit is verified by digest alone.
	if _, err := c.Get(t.Context(), it); err != nil || s.hits.Load() != 1 {
		t.Errorf("second Get: %v, %d requests", err, s.hits.Load())
	}
}
