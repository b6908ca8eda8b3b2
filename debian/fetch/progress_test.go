package fetch

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestGetProgress(t *testing.T) {
	tests := []struct {
		desc     string
		terminal bool
		check    func(t *testing.T, out string)
	}{
		{"plain lines", false, func(t *testing.T, out string) {
			if strings.Count(out, "fetched ") != 3 || strings.Contains(out, "files") {
				t.Errorf("want one line per download and no summary:\n%s", out)
			}
		}},
		{"terminal", true, func(t *testing.T, out string) {
			if !strings.Contains(out, "\r\033[K") || !strings.Contains(out, "3/3 files") {
				t.Errorf("no redrawn line with totals: %q", out)
			}
			if n := strings.Count(out, "\n"); n != 1 || !strings.HasSuffix(out, "\n") {
				t.Errorf("concurrent Gets drew %d lines: %q", n, out)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := newServer(t)
			var out syncBuffer
			c := newCache(t, WithProgress(&out, tt.terminal))
			items := []Item{s.put("/a", []byte("a")), s.put("/b", []byte("bb")), s.put("/c", []byte("ccc"))}
			// Answer only once all three downloads are in flight.
			var arrived sync.WaitGroup
			arrived.Add(len(items))
			s.hook = func() { arrived.Done(); arrived.Wait() }
			var wg sync.WaitGroup
			for _, it := range items {
				wg.Go(func() {
					if _, err := c.Get(t.Context(), it); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			tt.check(t, out.String())
			s.hook = nil

			// Cache hits report nothing.
			before := out.String()
			if _, err := c.Get(t.Context(), items[0]); err != nil {
				t.Fatal(err)
			}
			if out.String() != before {
				t.Errorf("a cache hit printed %q", strings.TrimPrefix(out.String(), before))
			}
		})
	}
}

func TestHumanBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {9 << 20, "9.0 MiB"}, {3 << 30, "3.0 GiB"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := humanBytes(tt.n); got != tt.want {
				t.Errorf("humanBytes(%d) = %q", tt.n, got)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
