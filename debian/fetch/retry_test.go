package fetch

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want time.Duration
		ok   bool
	}{
		{"seconds", "3", 3 * time.Second, true},
		{"zero", "0", 0, true},
		{"empty", "", 0, false},
		{"garbage", "soon", 0, false},
		{"negative", "-4", 0, false},
		{"date in the past", "Mon, 02 Jan 2006 15:04:05 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestBackoffGrows(t *testing.T) {
	c := newCache(t, WithBackoff(100*time.Millisecond))
	for i := range 5 {
		base := 100 * time.Millisecond << i
		for range 20 {
			if d := c.backoff(i); d < base/2 || d >= base*3/2 {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v)", i, d, base/2, base*3/2)
			}
		}
	}
}
