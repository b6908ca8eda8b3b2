package debian

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed dpkg version: [epoch:]upstream[-revision].
type Version struct {
	Epoch    uint32
	Upstream string
	Revision string
}

// ErrBadVersion is returned (wrapped) for version strings dpkg would reject.
var ErrBadVersion = errors.New("invalid Debian version")

// ParseVersion parses s with dpkg's rules. Like dpkg it accepts an upstream
// part that does not start with a digit (dpkg only warns) and rejects empty
// parts and bad epochs. It is stricter than dpkg in one way: characters
// outside Debian policy's set are an error here, a warning in dpkg.
func ParseVersion(s string) (Version, error) {
	var v Version
	orig := s
	s = strings.Trim(s, " \t") // dpkg trims blanks only, not other white space
	if s == "" {
		return v, fmt.Errorf("%w: empty version string", ErrBadVersion)
	}
	if strings.ContainsAny(s, " \t\n\r") {
		return v, fmt.Errorf("%w %q: embedded space", ErrBadVersion, orig)
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		ep := s[:i]
		if ep == "" {
			return v, fmt.Errorf("%w %q: epoch is empty", ErrBadVersion, orig)
		}
		n, err := strconv.ParseUint(ep, 10, 31)
		if err != nil {
			return v, fmt.Errorf("%w %q: epoch %q is not a non-negative number that fits in 31 bits", ErrBadVersion, orig, ep)
		}
		v.Epoch = uint32(n)
		s = s[i+1:]
		if s == "" {
			return v, fmt.Errorf("%w %q: nothing after colon", ErrBadVersion, orig)
		}
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		v.Revision = s[i+1:]
		s = s[:i]
		if v.Revision == "" {
			return v, fmt.Errorf("%w %q: revision is empty", ErrBadVersion, orig)
		}
	}
	if s == "" {
		return v, fmt.Errorf("%w %q: upstream version is empty", ErrBadVersion, orig)
	}
	v.Upstream = s
	for _, c := range []byte(v.Upstream) {
		if !isAlnum(c) && !strings.ContainsRune(".-+~:", rune(c)) {
			return v, fmt.Errorf("%w %q: invalid character %q in upstream version", ErrBadVersion, orig, c)
		}
	}
	for _, c := range []byte(v.Revision) {
		if !isAlnum(c) && !strings.ContainsRune(".+~", rune(c)) {
			return v, fmt.Errorf("%w %q: invalid character %q in revision", ErrBadVersion, orig, c)
		}
	}
	return v, nil
}

// MustParseVersion is ParseVersion for constants in tests and examples.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String returns the canonical text form (epoch omitted when zero, unless
// the upstream part holds a colon and needs it to parse back).
func (v Version) String() string {
	var b strings.Builder
	if v.Epoch != 0 || strings.Contains(v.Upstream, ":") {
		b.WriteString(strconv.FormatUint(uint64(v.Epoch), 10))
		b.WriteByte(':')
	}
	b.WriteString(v.Upstream)
	if v.Revision != "" {
		b.WriteByte('-')
		b.WriteString(v.Revision)
	}
	return b.String()
}

// Compare orders versions exactly as dpkg --compare-versions does:
// negative if v < o, zero if equal, positive if v > o.
func (v Version) Compare(o Version) int {
	switch {
	case v.Epoch > o.Epoch:
		return 1
	case v.Epoch < o.Epoch:
		return -1
	}
	if c := verrevcmp(v.Upstream, o.Upstream); c != 0 {
		return c
	}
	return verrevcmp(v.Revision, o.Revision)
}

// CompareVersions parses and compares two version strings.
func CompareVersions(a, b string) (int, error) {
	va, err := ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// order gives a character's weight in dpkg's ordering: '~' sorts before
// everything, even the end of the string; letters sort before other symbols.
func order(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}

// verrevcmp is dpkg's lib/dpkg/version.c algorithm: alternating runs of
// non-digits (compared by order) and digits (compared numerically).
func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		firstDiff := 0
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := order(a, i), order(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		for i < len(a) && isDigit(a[i]) && j < len(b) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return sign(firstDiff)
		}
	}
	return 0
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
