package resolve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

func TestErrorMessages(t *testing.T) {
	a := &debian.Package{Name: "a", Version: debian.MustParseVersion("1"), Architecture: "amd64"}
	b := &debian.Package{Name: "b", Version: debian.MustParseVersion("2"), Architecture: "all"}
	top := &debian.Package{Name: "top", Version: debian.MustParseVersion("1"), Architecture: "amd64"}
	tests := []struct {
		desc string
		err  error
		want string
	}{
		{"unknown without suggestions",
			&UnknownPackageError{Name: "zzz", Arch: "arm64", Suites: []string{"bookworm"}},
			`unknown package "zzz": no arm64 or all package of that name in bookworm; check the name and the configured suites and components`},
		{"unknown with suggestions",
			&UnknownPackageError{Name: "pythn3", Arch: "amd64", Suites: []string{"bookworm", "bookworm-updates"}, Suggestions: []string{"python3", "cython3"}},
			`unknown package "pythn3": no amd64 or all package of that name in bookworm, bookworm-updates; did you mean python3, cython3?`},
		{"virtual",
			&UnknownPackageError{Name: "awk", Providers: []string{"gawk", "mawk"}},
			`package "awk" is virtual, provided by gawk, mawk; request one of them`},
		{"unsatisfiable, nothing available",
			&UnsatisfiableError{Chain: []Step{{Package: top}}, Relation: debian.Relation{{Name: "gone"}}, Suites: []string{"bookworm"}},
			"top -> gone: no version in bookworm satisfies it; no package of that name or providing it exists; check the suites and components"},
		{"conflict names both chains",
			&ConflictError{Package: a, Other: b, Field: "Breaks", Dep: debian.Dep{Name: "b", Op: "<<", Version: debian.MustParseVersion("3")},
				Chain:      []Step{{Package: top}, {Package: a, Via: debian.Relation{{Name: "a"}}, Field: "Depends"}},
				OtherChain: []Step{{Package: b}}},
			"a=1 (amd64) Breaks b (<< 3), and both are needed: top -> a; b; request other versions or drop one of the packages"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("message:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestAvailableIsBounded(t *testing.T) {
	var b strings.Builder
	for i := range 15 {
		fmt.Fprintf(&b, "Package: p%02d\nVersion: 1\nProvides: virt (= %d)\n\n", i, i)
	}
	got := available(universe(t, b.String()), debian.Relation{{Name: "virt", Op: ">=", Version: debian.MustParseVersion("99")}})
	if len(got) != 11 || got[10] != "and 5 more" || got[0] != "p00 1 providing virt (= 0) (bookworm)" {
		t.Errorf("available = %q", got)
	}
}
