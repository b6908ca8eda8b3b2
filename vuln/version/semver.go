package version

import "strings"

type semverScheme struct{}

func (semverScheme) Name() string { return "semver" }

// MaxLen bounds the versions the parsers accept; longer strings are invalid.
const MaxLen = 256

// Parse parses a semantic version 2.0.0 as Go modules and npm write it: an
// optional "v" (Go) or "=" (npm) prefix, MAJOR.MINOR.PATCH with an optional
// -prerelease and +build. Build metadata, including Go's "+incompatible", is
// ignored in comparisons, as semver says. Go pseudo-versions
// (v0.0.0-20240101120000-abcdef123456) are prereleases and order correctly.
// A missing minor or patch number reads as 0 ("1.2" is 1.2.0), which npm and
// PyPI-style records sometimes use.
func (semverScheme) Parse(s string) (Version, error) {
	if len(s) > MaxLen {
		return nil, invalid("semver", s, "too long")
	}
	in := s
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "=")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		if !validIdents(s[i+1:]) {
			return nil, invalid("semver", in, "bad build metadata")
		}
		s = s[:i]
	}
	var pre string
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s, pre = s[:i], s[i+1:]
		if !validIdents(pre) {
			return nil, invalid("semver", in, "bad prerelease")
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return nil, invalid("semver", in, "more than three numbers")
	}
	var v semver
	for i, p := range parts {
		if !isNum(p) || (len(p) > 1 && p[0] == '0') {
			return nil, invalid("semver", in, "want MAJOR.MINOR.PATCH numbers")
		}
		v.nums[i] = p
	}
	for i := len(parts); i < 3; i++ {
		v.nums[i] = "0"
	}
	if pre != "" {
		v.pre = strings.Split(pre, ".")
	}
	v.text = in
	return v, nil
}

type semver struct {
	nums [3]string // decimal, no leading zeros
	pre  []string
	text string
}

func (v semver) String() string { return v.text }

func (v semver) Compare(o Version) int {
	w := o.(semver)
	for i := range v.nums {
		if c := cmpNum(v.nums[i], w.nums[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(v.pre) == 0 && len(w.pre) == 0:
		return 0
	case len(v.pre) == 0:
		return 1
	case len(w.pre) == 0:
		return -1
	}
	for i := 0; i < len(v.pre) && i < len(w.pre); i++ {
		a, b := v.pre[i], w.pre[i]
		an, bn := isNum(a), isNum(b)
		var c int
		switch {
		case an && bn:
			c = cmpNum(a, b)
		case an:
			c = -1
		case bn:
			c = 1
		default:
			c = strings.Compare(a, b)
		}
		if c != 0 {
			return c
		}
	}
	return len(v.pre) - len(w.pre)
}

// cmpNum compares decimal strings of any length.
func cmpNum(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func isNum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validIdents checks dot-separated identifiers of [0-9A-Za-z-].
func validIdents(s string) bool {
	if s == "" {
		return false
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
				return false
			}
		}
	}
	return true
}
