package resolve

import (
	"errors"
	"testing"
)

func TestConflicts(t *testing.T) {
	tests := []struct {
		desc     string
		universe string
		req      []string
		want     string // "from Field against", or "" for no conflict
	}{
		{"Conflicts on a real package", `Package: a
Version: 1
Conflicts: b

Package: b
Version: 1
`, []string{"b", "a"}, "a Conflicts b"},
		{"unversioned Conflicts on a virtual name hits its providers", `Package: a
Version: 1
Conflicts: virt

Package: b
Version: 1
Provides: virt
`, []string{"a", "b"}, "a Conflicts b"},
		{"versioned Breaks through a versioned Provides", `Package: a
Version: 1
Breaks: virt (<< 2)

Package: b
Version: 9
Provides: virt (= 1)
`, []string{"a", "b"}, "a Breaks b"},
		{"versioned Breaks ignores an unversioned Provides", `Package: a
Version: 1
Breaks: virt (<< 2)

Package: b
Version: 9
Provides: virt
`, []string{"a", "b"}, ""},
		{"versioned Conflicts not matched", `Package: a
Version: 1
Conflicts: b (<< 1)

Package: b
Version: 1
`, []string{"a", "b"}, ""},
		{"Conflicts pulled in by dependencies, reported with chains", `Package: top
Version: 1
Depends: left, right

Package: left
Version: 1
Depends: a

Package: right
Version: 1
Depends: b

Package: a
Version: 1

Package: b
Version: 1
Conflicts: a
`, []string{"top", "a"}, "b Conflicts a"},
		{"a package does not conflict with itself through its Provides", `Package: a
Version: 1
Provides: virt
Conflicts: virt
`, []string{"a"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, err := Resolve(universe(t, tc.universe), Request{Packages: tc.req})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				return
			}
			var e *ConflictError
			if !errors.As(err, &e) {
				t.Fatalf("got %v (set %v), want a *ConflictError", err, r)
			}
			if got := e.Package.Name + " " + e.Field + " " + e.Other.Name; got != tc.want {
				t.Errorf("conflict %q, want %q", got, tc.want)
			}
			if len(e.Chain) == 0 || len(e.OtherChain) == 0 || e.Chain[len(e.Chain)-1].Package != e.Package || e.OtherChain[len(e.OtherChain)-1].Package != e.Other {
				t.Errorf("chains %s / %s do not end at the two packages", FormatChain(e.Chain), FormatChain(e.OtherChain))
			}
		})
	}
}
