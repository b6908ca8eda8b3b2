package fetch

import (
	"errors"
	"strings"
	"testing"
)

func TestFetch(t *testing.T) {
	tests := []struct {
		desc     string
		body     string
		max      int64
		failures int
		wantErr  error
	}{
		{"small file", "InRelease body", 100, 0, nil},
		{"exactly max", "12345", 5, 0, nil},
		{"over max", "123456", 5, 0, ErrTooLarge},
		{"retried", "ok", 10, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := newServer(t)
			c := newCache(t)
			s.put("/InRelease", []byte(tt.body))
			s.failNext("/InRelease", tt.failures)
			got, err := c.Fetch(t.Context(), s.URL+"/InRelease", tt.max)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if s.hits.Load() != 1 {
					t.Errorf("a too-large response was retried")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.body {
				t.Errorf("body = %q", got)
			}
		})
	}
	t.Run("404 names the URL", func(t *testing.T) {
		s := newServer(t)
		c := newCache(t)
		_, err := c.Fetch(t.Context(), s.URL+"/dists/nope/InRelease", 10)
		if err == nil || !strings.Contains(err.Error(), "/dists/nope/InRelease") || !strings.Contains(err.Error(), "404") {
			t.Errorf("err = %v", err)
		}
	})
}
