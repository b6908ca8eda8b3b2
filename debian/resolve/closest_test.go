package resolve

import (
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	names := []string{"curl", "libcurl4", "nodejs", "python3", "python3-yaml", "python3.11", "pythonpy"}
	tests := []struct {
		desc, want, got string
	}{
		{"typo", "pyhton3", "python3"},
		{"prefix first, shortest first", "python3.", "python3.11"},
		{"missing letter", "nodjs", "nodejs"},
		{"nothing close", "zzzzzzzz", ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := strings.Join(closest(names, tc.want, 1), ","); got != tc.got {
				t.Errorf("closest(%q) = %q, want %q", tc.want, got, tc.got)
			}
		})
	}
	if got := closest(names, "python", 5); len(got) != 4 || got[0] != "python3" {
		t.Errorf("closest(python) = %v, want 4 prefix matches, python3 first", got)
	}
}
