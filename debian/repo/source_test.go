package repo

import (
	"testing"
)

func TestSourceValidate(t *testing.T) {
	for _, tc := range []struct {
		desc string
		src  Source
		ok   bool
	}{
		{"good", Source{Mirror: "https://m.invalid/debian", Suites: []string{"bookworm"}}, true},
		{"no suites", Source{Mirror: "https://m.invalid/debian"}, false},
		{"no mirror", Source{Suites: []string{"bookworm"}}, false},
		{"ftp mirror", Source{Mirror: "ftp://m.invalid/debian", Suites: []string{"bookworm"}}, false},
		{"security falls back to the main mirror", Source{Mirror: "http://m.invalid", Suites: []string{"bookworm-security"}}, true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if err := tc.src.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
