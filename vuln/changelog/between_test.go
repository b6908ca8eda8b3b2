package changelog

import (
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
)

func TestBetween(t *testing.T) {
	log := entry("foo", "1.0-4", "bookworm-security", "high", "  * Fix CVE-2024-0004.") +
		entry("foo", "1.0-3", "bookworm-security", "medium", "  * No CVE here.") +
		entry("foo", "1.0-2", "bookworm-security", "medium", "  * Fix CVE-2024-0002 and CVE-2024-0003.") +
		entry("foo", "1.0-1", "unstable", "low", "  * Fix CVE-2023-0001.")
	entries, err := Parse(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	pkg := func(v, sv string) sbom.Package { return sbom.Package{Name: "libfoo1", Version: v, SourceVersion: sv} }
	tests := []struct {
		desc                 string
		installed, candidate sbom.Package
		want                 []string // fix versions, newest first
	}{
		{"one step", pkg("1.0-3", "1.0-3"), pkg("1.0-4", "1.0-4"), []string{"1.0-4"}},
		{"two steps behind: every upload since", pkg("1.0-1", ""), pkg("1.0-4", ""), []string{"1.0-4", "1.0-2"}},
		{"a lower candidate than the changelog's newest", pkg("1.0-1", ""), pkg("1.0-2", ""), []string{"1.0-2"}},
		{"binNMU installed compares as its source version", pkg("1.0-1+b1", "1.0-1"), pkg("1.0-4", ""), []string{"1.0-4", "1.0-2"}},
		{"binary version unlike the source's", pkg("7:1", "1.0-2"), pkg("7:2", "1.0-4"), []string{"1.0-4"}},
		{"up to date", pkg("1.0-4", ""), pkg("1.0-4", ""), nil},
		{"installed newer than the candidate", pkg("1.0-5", ""), pkg("1.0-4", ""), nil},
		{"invalid version", pkg("", ""), pkg("1.0-4", ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var got []string
			for _, f := range Between(entries, tt.installed, tt.candidate) {
				got = append(got, f.Version)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Between(%s, %s) = %q, want %q", tt.installed.Version, tt.candidate.Version, got, tt.want)
			}
		})
	}
}
