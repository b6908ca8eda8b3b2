package debian

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		desc string
		a, b string
		want int
	}{
		{"equal", "1.0", "1.0", 0},
		{"numeric not lexical", "1.10", "1.9", 1},
		{"epoch beats everything", "1:0.1", "9.9", 1},
		{"tilde sorts before the end", "1.0~rc1", "1.0", -1},
		{"tilde before tilde-tilde", "1.0~~", "1.0~", -1},
		{"letters before non-letters", "1.0a", "1.0+", -1},
		{"missing revision equals revision 0", "1.0", "1.0-0", 0},
		{"revision compared", "1.0-1", "1.0-2", -1},
		{"security update beats point release", "3.0.15-1~deb12u1", "3.0.11-1~deb12u2", 1},
		{"binNMU after base", "2.36-9+deb12u4+b1", "2.36-9+deb12u4", 1},
		{"deb12u10 after deb12u9", "2.36-9+deb12u10", "2.36-9+deb12u9", 1},
		{"leading zeros ignored", "1.001", "1.1", 0},
		{"hyphen in upstream", "1.2-3-4", "1.2-3-3", 1},
		{"colon in upstream", "1:1.2:3-1", "1:1.2:2-1", 1},
		{"empty epoch digit run", "0:1.0", "1.0", 0},
		{"plus after tilde", "1.0+1", "1.0~1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := CompareVersions(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			rev, _ := CompareVersions(tt.b, tt.a)
			if rev != -tt.want {
				t.Errorf("not antisymmetric: CompareVersions(%q, %q) = %d", tt.b, tt.a, rev)
			}
		})
	}
}

func TestParseVersionErrors(t *testing.T) {
	for _, s := range []string{"", ":1.0", "1:", "1.0-", "a:1.0", "1.0 2", "1.0-a_b", "1.0_1", "99999999999:1", "-1"} {
		t.Run(s, func(t *testing.T) {
			if _, err := ParseVersion(s); !errors.Is(err, ErrBadVersion) {
				t.Errorf("ParseVersion(%q) error = %v, want ErrBadVersion", s, err)
			}
		})
	}
}

func TestVersionStringRoundTrip(t *testing.T) {
	for _, s := range []string{"1.0", "1:2.3-4", "2.36-9+deb12u10", "1.0~rc1-1~bpo12+1"} {
		if got := MustParseVersion(s).String(); got != s {
			t.Errorf("String() = %q, want %q", got, s)
		}
	}
}

// versionAlphabet is biased towards the characters that matter to dpkg's ordering.
const versionAlphabet = "0123456789.+~-:abzAZ"

func randomVersion(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(5) == 0 {
		b.WriteString(string(rune('0' + r.IntN(3))))
		b.WriteByte(':')
	}
	b.WriteByte(byte('0' + r.IntN(10)))
	for n := r.IntN(8); n > 0; n-- {
		c := versionAlphabet[r.IntN(len(versionAlphabet))]
		if c == ':' || c == '-' {
			c = '.'
		}
		b.WriteByte(c)
	}
	if r.IntN(2) == 0 {
		b.WriteByte('-')
		b.WriteByte(byte('0' + r.IntN(10)))
		for n := r.IntN(5); n > 0; n-- {
			c := versionAlphabet[r.IntN(len(versionAlphabet))]
			if c == ':' || c == '-' {
				c = '+'
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dpkgOracle asks dpkg itself, in one process for many pairs, which order
// holds. It returns nil when dpkg is not installed.
func dpkgOracle(t *testing.T, pairs [][2]string) []int {
	t.Helper()
	if _, err := exec.LookPath("dpkg"); err != nil {
		return nil
	}
	var script strings.Builder
	for _, p := range pairs {
		// lt, eq, gt probed in turn; exit status 0 means true.
		script.WriteString("if dpkg --compare-versions '" + p[0] + "' lt '" + p[1] + "'; then echo -1; elif dpkg --compare-versions '" + p[0] + "' eq '" + p[1] + "'; then echo 0; else echo 1; fi\n")
	}
	cmd := exec.Command("sh", "-c", script.String())
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running dpkg --compare-versions: %v: %s", err, stderr.String())
	}
	lines := strings.Fields(out.String())
	if len(lines) != len(pairs) {
		t.Fatalf("dpkg answered %d of %d comparisons: %s", len(lines), len(pairs), stderr.String())
	}
	res := make([]int, len(lines))
	for i, l := range lines {
		switch l {
		case "-1":
			res[i] = -1
		case "0":
			res[i] = 0
		default:
			res[i] = 1
		}
	}
	return res
}

// TestCompareAgreesWithDpkg is a property test: for random versions built
// from the characters that matter, our order equals dpkg's.
func TestCompareAgreesWithDpkg(t *testing.T) {
	testenv.RequireTool(t, "dpkg")
	r := rand.New(rand.NewPCG(1, 2))
	n := 400
	if testing.Short() {
		n = 100
	}
	pairs := make([][2]string, 0, n)
	for len(pairs) < n {
		a, b := randomVersion(r), randomVersion(r)
		if r.IntN(4) == 0 { // near-equal pairs exercise the tricky branches
			b = a + string(versionAlphabet[r.IntN(len(versionAlphabet)-2)])
		}
		if _, err := ParseVersion(a); err != nil {
			continue
		}
		if _, err := ParseVersion(b); err != nil {
			continue
		}
		pairs = append(pairs, [2]string{a, b})
	}
	want := dpkgOracle(t, pairs)
	for i, p := range pairs {
		got, _ := CompareVersions(p[0], p[1])
		if got != want[i] {
			t.Errorf("CompareVersions(%q, %q) = %d, dpkg says %d", p[0], p[1], got, want[i])
		}
	}
}

// FuzzCompareVersions checks parser robustness and ordering laws on any
// input, and agreement with dpkg when it is installed.
func FuzzCompareVersions(f *testing.F) {
	for _, s := range [][2]string{{"1.0", "1.0~"}, {"1:2-3", "2-3"}, {"1.0a", "1.0+"}, {"0.0", "~"}, {"3.0.15-1~deb12u1", "3.0.15-1"}} {
		f.Add(s[0], s[1])
	}
	_, haveDpkg := exec.LookPath("dpkg")
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := ParseVersion(a)
		vb, errB := ParseVersion(b)
		if errA != nil || errB != nil {
			return
		}
		c := va.Compare(vb)
		if c != -vb.Compare(va) {
			t.Fatalf("not antisymmetric for %q %q", a, b)
		}
		if va.Compare(va) != 0 {
			t.Fatalf("%q not equal to itself", a)
		}
		// Reparsing the canonical form gives an equal version.
		if rv, err := ParseVersion(va.String()); err != nil || rv.Compare(va) != 0 {
			t.Fatalf("String() round trip of %q: %v", a, err)
		}
		if haveDpkg == nil && !strings.ContainsAny(a+b, "'\\") && len(a) < 64 && len(b) < 64 && isDigit(va.Upstream[0]) && isDigit(vb.Upstream[0]) {
			if want := dpkgOracle(t, [][2]string{{a, b}}); want != nil && want[0] != c {
				t.Fatalf("CompareVersions(%q, %q) = %d, dpkg says %d", a, b, c, want[0])
			}
		}
	})
}
