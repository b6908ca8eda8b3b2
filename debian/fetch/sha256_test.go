package fetch

import (
	"strings"
	"testing"
)

func TestValidSHA256(t *testing.T) {
	for _, tc := range []struct {
		desc, in string
		want     bool
	}{
		{"digest of the empty string", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true},
		{"all digits", strings.Repeat("0", 64), true},
		{"empty", "", false},
		{"63 digits", strings.Repeat("a", 63), false},
		{"65 digits", strings.Repeat("a", 65), false},
		{"uppercase", strings.Repeat("A", 64), false},
		{"not hex", strings.Repeat("g", 64), false},
		{"prefixed", "sha256:" + strings.Repeat("a", 57), false},
		{"multibyte rune", "é" + strings.Repeat("a", 62), false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if got := ValidSHA256(tc.in); got != tc.want {
				t.Fatalf("ValidSHA256(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
