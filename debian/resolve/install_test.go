package resolve

import (
	"strings"
	"testing"
)

// TestInstallDropsConflictingChoice covers apt's behaviour when a later
// dependency needs a package that conflicts with an alternative chosen
// earlier: the earlier choice is dropped (apt's MarkKeep), what it pulled in
// stays, and relations it satisfied are resolved again.
func TestInstallDropsConflictingChoice(t *testing.T) {
	tests := []struct {
		desc        string
		universe    string
		req         Request
		want        string
		wantDropped string
	}{
		{
			desc: "a later dependency replaces a conflicting alternative chosen earlier, as apt's MarkKeep does",
			universe: `Package: lo
Version: 1
Depends: base-core, core

Package: base-core
Version: 1
Depends: core-nogui | core

Package: core-nogui
Version: 1
Depends: libx
Conflicts: core

Package: core
Version: 1
Depends: liby
Conflicts: core-nogui

Package: libx
Version: 1

Package: liby
Version: 1
`,
			req:         Request{Packages: []string{"lo"}},
			want:        "base-core=1 core=1 libx=1 liby=1 lo=1",
			wantDropped: "core-nogui",
		},
		{
			desc: "dependencies a dropped package satisfied are installed again",
			universe: `Package: r
Version: 1
Depends: a, b

Package: a
Version: 1
Depends: x | y

Package: x
Version: 1

Package: y
Version: 1

Package: b
Version: 1
Depends: z

Package: z
Version: 1
Conflicts: x
`,
			req:         Request{Packages: []string{"r"}},
			want:        "a=1 b=1 r=1 y=1 z=1",
			wantDropped: "x",
		},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			ix := universe(t, tc.universe)
			r, err := Resolve(ix, tc.req)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got := names(r); got != tc.want {
				t.Errorf("set:\n got %s\nwant %s", got, tc.want)
			}
			if got := strings.Join(r.Dropped, ","); got != tc.wantDropped {
				t.Errorf("dropped %q, want %q", got, tc.wantDropped)
			}
			checkClosed(t, ix, r)
		})
	}
}
