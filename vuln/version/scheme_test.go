package version

import (
	"errors"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		desc   string
		scheme Scheme
		a, b   string
		want   int
	}{
		{"dpkg epoch beats upstream", Dpkg, "1:1.0-1", "2.0-1", 1},
		{"dpkg tilde sorts before release", Dpkg, "3.0.15-1~deb12u1", "3.0.15-1", -1},
		{"dpkg security update above point release", Dpkg, "3.0.15-1~deb12u1", "3.0.11-1~deb12u2", 1},
		{"dpkg +deb12u1 above the plain revision", Dpkg, "2.36-9+deb12u1", "2.36-9", 1},
		{"dpkg +deb12u2 above +deb12u1", Dpkg, "2.36-9+deb12u2", "2.36-9+deb12u1", 1},
		{"dpkg binNMU above its source version", Dpkg, "1.2-3+b1", "1.2-3", 1},
		{"dpkg tilde prerelease", Dpkg, "1.0~rc1-1", "1.0-1", -1},
		{"dpkg equal", Dpkg, "0:1.0-1", "1.0-1", 0},
		{"semver v prefix ignored", Semver, "v1.2.3", "1.2.3", 0},
		{"semver prerelease below release", Semver, "1.0.0-rc.1", "1.0.0", -1},
		{"semver numeric prerelease ids below alphanumeric", Semver, "1.0.0-1", "1.0.0-alpha", -1},
		{"semver prerelease ids numerically", Semver, "1.0.0-alpha.2", "1.0.0-alpha.10", -1},
		{"semver longer prerelease above its prefix", Semver, "1.0.0-alpha.1", "1.0.0-alpha", 1},
		{"semver spec order beta.11 < rc.1", Semver, "1.0.0-beta.11", "1.0.0-rc.1", -1},
		{"semver build metadata ignored", Semver, "1.0.0+build.5", "1.0.0", 0},
		{"go +incompatible ignored", Semver, "v2.0.0+incompatible", "2.0.0", 0},
		{"go pseudo-version below the next release", Semver, "v0.0.0-20230101000000-abcdefabcdef", "0.1.0", -1},
		{"go pseudo-versions by time", Semver, "v0.17.1-0.20231010000000-abcdefabcdef", "v0.17.1-0.20230101000000-abcdefabcdef", 1},
		{"go pseudo-version after its base release", Semver, "v0.17.1-0.20231010000000-abcdefabcdef", "0.17.0", 1},
		{"go osv 1.21.0-0 below 1.21.0-rc.1", Semver, "1.21.0-0", "1.21.0-rc.1", -1},
		{"semver big numbers", Semver, "1.0.99999999999999999999", "1.0.9999999999999999999", 1},
		{"semver short form", Semver, "1.2", "1.2.0", 0},
		{"npm = prefix", Semver, "=1.2.3", "1.2.3", 0},
		{"pep440 normalised forms equal", PEP440, "1.0.0", "1.0", 0},
		{"pep440 dev < alpha < beta < rc < final < post", PEP440, "1.0.dev1", "1.0a1", -1},
		{"pep440 alpha < beta", PEP440, "1.0a1", "1.0b1", -1},
		{"pep440 rc < final", PEP440, "1.0rc1", "1.0", -1},
		{"pep440 final < post", PEP440, "1.0", "1.0.post1", -1},
		{"pep440 post dev < post", PEP440, "1.0.post1.dev1", "1.0.post1", -1},
		{"pep440 pre dev < pre", PEP440, "1.0a1.dev1", "1.0a1", -1},
		{"pep440 epoch", PEP440, "1!0.1", "2.0", 1},
		{"pep440 local above public", PEP440, "1.0+local.1", "1.0", 1},
		{"pep440 spellings", PEP440, "1.0-alpha-1", "1.0a1", 0},
		{"pep440 implicit post", PEP440, "1.0-1", "1.0.post1", 0},
		{"pep440 numeric release", PEP440, "2.10", "2.9", 1},
		{"pep440 case-insensitive", PEP440, "1.0RC1", "1.0rc1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := Compare(tt.scheme, tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if sign(got) != tt.want {
				t.Errorf("Compare(%s, %q, %q) = %d, want %d", tt.scheme.Name(), tt.a, tt.b, got, tt.want)
			}
			back, _ := Compare(tt.scheme, tt.b, tt.a)
			if sign(back) != -tt.want {
				t.Errorf("Compare(%s, %q, %q) = %d, not antisymmetric", tt.scheme.Name(), tt.b, tt.a, back)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		desc   string
		scheme Scheme
		in     string
	}{
		{"dpkg empty", Dpkg, ""},
		{"dpkg bad epoch", Dpkg, "x:1.0"},
		{"semver letters", Semver, "latest"},
		{"semver four numbers", Semver, "1.2.3.4"},
		{"semver leading zero", Semver, "01.2.3"},
		{"semver empty prerelease id", Semver, "1.2.3-a..b"},
		{"semver too long", Semver, "1.2.3-" + string(make([]byte, MaxLen))},
		{"pep440 garbage", PEP440, "one.two"},
		{"go devel", Semver, "(devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if v, err := tt.scheme.Parse(tt.in); !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) = %v, %v; want ErrInvalid", tt.in, v, err)
			}
		})
	}
}

func TestForRange(t *testing.T) {
	tests := []struct {
		ecosystem, rangeType string
		want                 Scheme
	}{
		{"Debian:12", "ECOSYSTEM", Dpkg},
		{"Go", "SEMVER", Semver},
		{"npm", "SEMVER", Semver},
		{"PyPI", "ECOSYSTEM", PEP440},
		{"PyPI", "SEMVER", Semver},
		{"Go", "GIT", nil},
		{"Maven", "ECOSYSTEM", nil},
	}
	for _, tt := range tests {
		t.Run(tt.ecosystem+"/"+tt.rangeType, func(t *testing.T) {
			if got := ForRange(tt.ecosystem, tt.rangeType); got != tt.want {
				t.Errorf("ForRange = %v, want %v", got, tt.want)
			}
		})
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func FuzzSemver(f *testing.F) {
	for _, s := range []string{"1.2.3", "v0.0.0-20230101000000-abcdefabcdef", "2.0.0+incompatible", "1.0.0-rc.1", "=1"} {
		f.Add(s, "1.0.0")
	}
	f.Fuzz(func(t *testing.T, a, b string) { fuzzScheme(t, Semver, a, b) })
}

func FuzzPEP440(f *testing.F) {
	for _, s := range []string{"1.0", "1!2.0rc1.post2.dev3+loc.1", "1.0-1", "v1.0a"} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, a, b string) { fuzzScheme(t, PEP440, a, b) })
}

// fuzzScheme checks that parsing never panics and that comparison is
// reflexive and antisymmetric.
func fuzzScheme(t *testing.T, s Scheme, a, b string) {
	va, errA := s.Parse(a)
	vb, errB := s.Parse(b)
	if errA != nil && !errors.Is(errA, ErrInvalid) {
		t.Fatalf("Parse(%q): error %v does not wrap ErrInvalid", a, errA)
	}
	if errA != nil || errB != nil {
		return
	}
	if va.Compare(va) != 0 {
		t.Fatalf("%q != itself", a)
	}
	if sign(va.Compare(vb)) != -sign(vb.Compare(va)) {
		t.Fatalf("Compare(%q, %q) not antisymmetric", a, b)
	}
}
