package resolve

import (
	"errors"
	"strings"
	"testing"
)

func TestRequestSpecs(t *testing.T) {
	const u = `Package: tool
Version: 1

Package: tool
Version: 2

Package: lib
Version: 1

Package: mawk
Version: 1
Provides: awk
`
	tests := []struct {
		desc    string
		specs   []string
		want    string // set, or "" when an error is expected
		wantErr string
		req     string // Result.Requested, comma separated
	}{
		{"bare name takes the candidate", []string{"tool"}, "tool=2", "", "tool"},
		{"pinned version", []string{"tool=1"}, "tool=1", "", "tool"},
		{"pin then bare name keeps the pin", []string{"tool=1", "tool"}, "tool=1", "", "tool"},
		{"name:arch and name:any", []string{"tool:amd64", "lib:any", " lib "}, "lib=1 tool=2", "", "tool,lib"},
		{"name:arch=version", []string{"tool:amd64=1"}, "tool=1", "", "tool"},
		{"virtual name with one provider", []string{"awk"}, "mawk=1", "", "mawk"},
		{"two different pins", []string{"tool=1", "tool=2"}, "", "pinned to both 1 and 2", ""},
		{"empty name", []string{"=1"}, "", "empty package name", ""},
		{"bad version", []string{"tool=:x"}, "", `reading request "tool=:x"`, ""},
		{"foreign architecture", []string{"tool:arm64"}, "", "architecture arm64 is not the target amd64", ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, err := Resolve(universe(t, u), Request{Packages: tc.specs})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got := names(r); got != tc.want {
				t.Errorf("set %s, want %s", got, tc.want)
			}
			if got := strings.Join(r.Requested, ","); got != tc.req {
				t.Errorf("requested %s, want %s", got, tc.req)
			}
		})
	}
}

func TestRequestOtherArchIndex(t *testing.T) {
	_, err := Resolve(universe(t, "Package: a\nVersion: 1\n"), Request{Packages: []string{"a"}, Arch: "arm64"})
	if err == nil || !strings.Contains(err.Error(), "holds amd64 packages") {
		t.Fatalf("got %v, want an error about the index architecture", err)
	}
	var u *UnknownPackageError
	if errors.As(err, &u) {
		t.Errorf("architecture mismatch reported as an unknown package")
	}
}
