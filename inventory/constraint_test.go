package inventory

import (
	"testing"

	"github.com/ingot-dev/ingot/sbom"
)

func TestParseConstraint(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		bad            bool
	}{
		{name: "empty", in: "", want: ""},
		{name: "less", in: "< 3.0.15", want: "< 3.0.15"},
		{name: "range", in: ">= 1.2, < 1.3", want: ">= 1.2, < 1.3"},
		{name: "no spaces", in: ">=1.2,<1.3", want: ">= 1.2, < 1.3"},
		{name: "bare version", in: "1.0", want: "= 1.0"},
		{name: "dpkg spellings", in: "<< 2, >> 1, == 1.5", want: "< 2, > 1, = 1.5"},
		{name: "not equal", in: "!= 2.0", want: "!= 2.0"},
		{name: "empty term", in: ">= 1,", bad: true},
		{name: "operator only", in: "<", bad: true},
		{name: "two versions", in: "< 1 2", bad: true},
		{name: "stray operator", in: "<=> 1", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConstraint(tc.in)
			if tc.bad {
				if err == nil {
					t.Errorf("ParseConstraint(%q) = %q, want an error", tc.in, c)
				}
				return
			}
			if err != nil || c.String() != tc.want {
				t.Errorf("ParseConstraint(%q) = %q, %v; want %q", tc.in, c, err, tc.want)
			}
		})
	}
}

func TestConstraintMatch(t *testing.T) {
	for _, tc := range []struct {
		eco, c, v string
		want      bool
	}{
		{sbom.Deb, "< 3.0.15", "3.0.15-1~deb12u1", false},  // 3.0.15-1~deb12u1 > 3.0.15 (revision)
		{sbom.Deb, "< 3.0.15-1", "3.0.15-1~deb12u1", true}, // ~ sorts before
		{sbom.Deb, ">= 1:1.0", "2.0", false},               // epoch
		{sbom.Deb, "= 1.0", "1.0", true},
		{sbom.Golang, "< v0.33.0", "v0.33.0-rc1", true}, // pre-release before release
		{sbom.Golang, ">= v0.10.0", "v0.9.9", false},    // numbers, not strings
		{sbom.Golang, "= 1.2", "v1.2.0", true},          // missing parts are 0
		{sbom.Golang, "< v0.0.0-20240101000000-abcdef", "v0.0.0-20231231000000-abcdef", true},
		{sbom.Npm, ">= 1.2, < 1.3", "1.2.9", true},
		{sbom.Npm, ">= 1.2, < 1.3", "1.3.0", false},
		{sbom.Npm, "!= 1.0.0", "1.0.0+build", false},          // build metadata ignored
		{sbom.Npm, "< 1.0.0", "1.0.0-rc.1", true},             // prerelease before release
		{sbom.Npm, "> 1.0.0-alpha.9", "1.0.0-alpha.10", true}, // prerelease numbers by value
		{sbom.Npm, "> 1.0.0-alpha", "1.0.0-alpha.1", true},    // more identifiers sort after
		{sbom.PyPI, "< 2.32", "2.31.0", true},
		{sbom.PyPI, "< 2.0.0", "2.0.0rc1", true},       // release candidate before release
		{sbom.PyPI, "< 2.0.0rc1", "2.0.0b2", true},     // beta before rc
		{sbom.PyPI, "< 2.0.0a1", "2.0.0.dev1", true},   // dev release before prereleases
		{sbom.PyPI, "> 2.0.0", "2.0.0.post1", true},    // post release after release
		{sbom.PyPI, "< 2.0.1", "2.0.0.post1", true},    // and before the next one
		{sbom.PyPI, "= 2.0", "2.0.0", true},            // trailing zeros
		{sbom.PyPI, "> 2.0.0", "1!1.0", true},          // epoch
		{sbom.PyPI, "= 2.0.0-rc.1", "2.0.0rc1", true},  // normalised spellings
		{sbom.PyPI, "< 2.0.0", "2.0.0-nonsense", true}, // not PEP 440: loose fallback
		{"cargo", "< 1.0.0", "1.0.0-beta", true},       // unknown ecosystem: loose
	} {
		t.Run(tc.eco+" "+tc.v+" "+tc.c, func(t *testing.T) {
			c, err := ParseConstraint(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Match(tc.eco, tc.v)
			if err != nil || got != tc.want {
				t.Errorf("%s %q matches %q = %v, %v; want %v", tc.eco, tc.c, tc.v, got, err, tc.want)
			}
		})
	}
	c, _ := ParseConstraint("< 1")
	if _, err := c.Match(sbom.Deb, "1:"); err == nil {
		t.Error("an invalid Debian version matched without error")
	}
}

func TestCompareLoose(t *testing.T) {
	ordered := []string{"0.9", "v0.10.0-alpha", "v0.10.0-alpha.1", "v0.10.0-alpha.beta", "v0.10.0-beta.2", "v0.10.0-beta.11", "v0.10.0", "1.0.0", "1.0.10", "2"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := compareLoose(ordered[i], ordered[j]); got != want {
				t.Errorf("compareLoose(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{"< 3.0.15", ">= 1.2, < 1.3", "1.0", "<<1,>>0", "", "!=", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConstraint(s)
		if err != nil {
			return
		}
		// The canonical form parses back to itself.
		c2, err := ParseConstraint(c.String())
		if err != nil || c2.String() != c.String() {
			t.Errorf("ParseConstraint(%q).String() = %q reparses as %q, %v", s, c, c2, err)
		}
		for _, eco := range []string{sbom.Golang, sbom.Deb} {
			_, _ = c.Match(eco, "1.0")
		}
	})
}

func FuzzCompareLoose(f *testing.F) {
	f.Add("v1.2.3", "1.2.3-rc.1")
	f.Add("1.0.0+x", "1")
	f.Add("", "0")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := compareLoose(a, b), compareLoose(b, a)
		if ab != -ba {
			t.Errorf("compareLoose(%q, %q) = %d but compareLoose(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if compareLoose(a, a) != 0 {
			t.Errorf("compareLoose(%q, itself) != 0", a)
		}
	})
}

func TestPURLBase(t *testing.T) {
	for in, want := range map[string][2]string{
		"pkg:deb/debian/openssl@3.0.15-1?arch=amd64": {"pkg:deb/debian/openssl", "3.0.15-1"},
		"pkg:npm/%40scope/name@1.0.0":                {"pkg:npm/%40scope/name", "1.0.0"},
		"pkg:golang/golang.org/x/net":                {"pkg:golang/golang.org/x/net", ""},
		"pkg:pypi/requests@2.31.0#sub/path":          {"pkg:pypi/requests", "2.31.0"},
	} {
		if got, v := PURLBase(in), purlVersion(in); got != want[0] || v != want[1] {
			t.Errorf("PURLBase(%q), purlVersion = %q, %q; want %q, %q", in, got, v, want[0], want[1])
		}
	}
}

func TestComparator(t *testing.T) {
	for eco, want := range map[string]string{sbom.Deb: "dpkg", sbom.Golang: "semver", sbom.Npm: "semver", sbom.PyPI: "pep440", "cargo": "loose"} {
		t.Run(eco, func(t *testing.T) {
			if got := Comparator(eco); got != want {
				t.Errorf("Comparator(%q) = %q, want %q", eco, got, want)
			}
		})
	}
}
