package resolve

import (
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

func dep(t *testing.T, s string) debian.Dep {
	t.Helper()
	rels, err := debian.ParseRelations(s)
	if err != nil || len(rels) != 1 || len(rels[0]) != 1 {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return rels[0][0]
}

func pkg(t *testing.T, control string) *debian.Package {
	t.Helper()
	paras, err := debian.ParseControl(strings.NewReader(control))
	if err != nil || len(paras) != 1 {
		t.Fatalf("parsing %q: %v", control, err)
	}
	p, err := debian.PackageFromParagraph(paras[0])
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSatisfiedBy(t *testing.T) {
	tests := []struct {
		desc     string
		dep      string
		pkg      string
		negative bool
		want     bool
	}{
		{"plain name", "foo", "Package: foo\nVersion: 1\nArchitecture: amd64\n", false, true},
		{"version too low", "foo (>= 2)", "Package: foo\nVersion: 1\nArchitecture: amd64\n", false, false},
		{"epoch wins", "foo (>= 2)", "Package: foo\nVersion: 1:1\nArchitecture: amd64\n", false, true},
		{"arch all for an unqualified dependency", "foo", "Package: foo\nVersion: 1\nArchitecture: all\n", false, true},
		{"other architecture", "foo", "Package: foo\nVersion: 1\nArchitecture: arm64\n", false, false},
		{":any needs Multi-Arch allowed", "foo:any", "Package: foo\nVersion: 1\nArchitecture: amd64\n", false, false},
		{":any with Multi-Arch allowed", "foo:any", "Package: foo\nVersion: 1\nArchitecture: amd64\nMulti-Arch: allowed\n", false, true},
		{":any with Multi-Arch same", "foo:any", "Package: foo\nVersion: 1\nArchitecture: amd64\nMulti-Arch: same\n", false, false},
		{":any with Multi-Arch foreign", "foo:any", "Package: foo\nVersion: 1\nArchitecture: amd64\nMulti-Arch: foreign\n", false, true},
		{":any in Conflicts matches every package", "foo:any", "Package: foo\nVersion: 1\nArchitecture: amd64\n", true, true},
		{":native", "foo:native", "Package: foo\nVersion: 1\nArchitecture: amd64\n", false, true},
		{"explicit native architecture", "foo:amd64", "Package: foo\nVersion: 1\nArchitecture: all\n", false, true},
		{"explicit foreign architecture", "foo:arm64", "Package: foo\nVersion: 1\nArchitecture: amd64\n", false, false},
		{"explicit foreign architecture, Multi-Arch foreign", "foo:arm64", "Package: foo\nVersion: 1\nArchitecture: amd64\nMulti-Arch: foreign\n", false, true},
		{"unversioned Provides", "awk", "Package: mawk\nVersion: 1\nArchitecture: amd64\nProvides: awk\n", false, true},
		{"unversioned Provides, versioned dependency", "awk (>= 1)", "Package: mawk\nVersion: 1\nArchitecture: amd64\nProvides: awk\n", false, false},
		{"versioned Provides satisfies", "foo (>= 0.9)", "Package: p\nVersion: 5\nArchitecture: amd64\nProvides: foo (= 1.0)\n", false, true},
		{"versioned Provides too old", "foo (>= 1.1)", "Package: p\nVersion: 5\nArchitecture: amd64\nProvides: foo (= 1.0)\n", false, false},
		{"provider's own version does not count", "foo (>= 5)", "Package: p\nVersion: 5\nArchitecture: amd64\nProvides: foo (= 1.0)\n", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := satisfiedBy("amd64", dep(t, tc.dep), pkg(t, tc.pkg), tc.negative); got != tc.want {
				t.Errorf("satisfiedBy(%s, %s) = %v, want %v", tc.dep, tc.pkg, got, tc.want)
			}
		})
	}
}

func TestCompareSolutions(t *testing.T) {
	ps := []*debian.Package{
		pkg(t, "Package: z-optional\nVersion: 1\nPriority: optional\n"),
		pkg(t, "Package: a-optional\nVersion: 1\nPriority: optional\n"),
		pkg(t, "Package: no-priority\nVersion: 1\n"),
		pkg(t, "Package: required\nVersion: 1\nPriority: required\n"),
		pkg(t, "Package: protected\nVersion: 1\nPriority: optional\nProtected: yes\n"),
		pkg(t, "Package: essential\nVersion: 1\nPriority: optional\nEssential: yes\n"),
		pkg(t, "Package: target\nVersion: 1\nPriority: extra\n"),
	}
	slices.SortStableFunc(ps, compareSolutions("target"))
	var got []string
	for _, p := range ps {
		got = append(got, p.Name)
	}
	want := "target essential protected required a-optional z-optional no-priority"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
