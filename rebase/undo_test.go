package rebase

import (
	"testing"

	"github.com/ingot-dev/ingot/inventory"
)

func TestPrevious(t *testing.T) {
	ev := func(ds ...string) []inventory.TagEvent {
		var out []inventory.TagEvent
		for _, d := range ds {
			out = append(out, inventory.TagEvent{Digest: d})
		}
		return out
	}
	tests := []struct {
		desc string
		hist []inventory.TagEvent
		cur  string
		want string
	}{
		{"one move", ev("sha256:a", "sha256:b"), "sha256:b", "sha256:a"},
		{"two moves", ev("sha256:a", "sha256:b", "sha256:c"), "sha256:c", "sha256:b"},
		{"after an undo, undo again goes further back", ev("sha256:a", "sha256:b", "sha256:c", "sha256:b"), "sha256:b", "sha256:c"},
		{"a vanished tag is skipped", ev("sha256:a", "", "sha256:b"), "sha256:b", "sha256:a"},
		{"nothing before", ev("sha256:a"), "sha256:a", ""},
		{"the current digest is not in the history", ev("sha256:a", "sha256:b"), "sha256:z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := previous(tc.hist, tc.cur); got != tc.want {
				t.Errorf("previous = %q, want %q", got, tc.want)
			}
		})
	}
}
