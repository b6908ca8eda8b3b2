package sbom

import "testing"

func TestDebianRelease(t *testing.T) {
	for _, tc := range []struct {
		codename, major string
		ok              bool
	}{
		{"wheezy", "7", true},
		{"bookworm", "12", true},
		{"forky", "14", true},
		{"sid", "", false},
		{"", "", false},
		{"Bookworm", "", false}, // callers lower-case
	} {
		t.Run(tc.codename, func(t *testing.T) {
			major, ok := DebianMajor(tc.codename)
			if major != tc.major || ok != tc.ok {
				t.Errorf("DebianMajor(%q) = %q, %v; want %q, %v", tc.codename, major, ok, tc.major, tc.ok)
			}
			if !ok {
				return
			}
			if c, ok := DebianCodename(major); c != tc.codename || !ok {
				t.Errorf("DebianCodename(%q) = %q, %v; want %q", major, c, ok, tc.codename)
			}
		})
	}
	if c, ok := DebianCodename("99"); ok {
		t.Errorf("DebianCodename(99) = %q, want none", c)
	}
	seen := map[string]bool{}
	for _, r := range debianReleases {
		if seen[r.major] || seen[r.codename] {
			t.Errorf("release %s %s is listed twice", r.major, r.codename)
		}
		seen[r.major], seen[r.codename] = true, true
	}
}
