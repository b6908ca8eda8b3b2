package version

import (
	"regexp"
	"strings"
)

type pep440Scheme struct{}

func (pep440Scheme) Name() string { return "pep440" }

// pep440Re is the pattern of PEP 440 (Appendix B), which also accepts the
// spellings the specification normalises ("1.0-alpha1", "1.0.post-1", "v1").
var pep440Re = regexp.MustCompile(`^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)` +
	`(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?` +
	`(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?` +
	`(?:[-_.]?(dev)[-_.]?(\d+)?)?)` +
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$`)

// Parse parses a PEP 440 version (case-insensitive, with the normalisations
// PEP 440 defines).
func (pep440Scheme) Parse(s string) (Version, error) {
	if len(s) > MaxLen {
		return nil, invalid("pep440", s, "too long")
	}
	m := pep440Re.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return nil, invalid("pep440", s, "not a PEP 440 version")
	}
	v := pep440{text: s, epoch: m[1], release: strings.Split(m[2], ".")}
	for len(v.release) > 1 && strings.TrimLeft(v.release[len(v.release)-1], "0") == "" {
		v.release = v.release[:len(v.release)-1]
	}
	if m[3] != "" {
		switch m[3] {
		case "alpha", "a":
			v.pre = 1
		case "beta", "b":
			v.pre = 2
		default:
			v.pre = 3
		}
		v.preN = m[4]
	}
	switch {
	case m[5] != "":
		v.post, v.postN = true, m[5]
	case m[6] != "":
		v.post, v.postN = true, m[7]
	}
	if m[8] != "" {
		v.dev, v.devN = true, m[9]
	}
	if m[10] != "" {
		v.local = strings.FieldsFunc(m[10], func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	}
	return v, nil
}

type pep440 struct {
	text    string
	epoch   string
	release []string // trailing zeros removed
	pre     int      // 0 none, 1 a, 2 b, 3 rc
	preN    string
	post    bool
	postN   string
	dev     bool
	devN    string
	local   []string
}

func (v pep440) String() string { return v.text }

// Compare follows the sort key of the packaging library, PEP 440's reference.
func (v pep440) Compare(o Version) int {
	w := o.(pep440)
	if c := cmpNum(v.epoch, w.epoch); c != 0 {
		return c
	}
	for i := 0; i < len(v.release) || i < len(w.release); i++ {
		a, b := "0", "0"
		if i < len(v.release) {
			a = v.release[i]
		}
		if i < len(w.release) {
			b = w.release[i]
		}
		if c := cmpNum(a, b); c != 0 {
			return c
		}
	}
	if c := cmpInt(v.preKey(), w.preKey()); c != 0 {
		return c
	}
	if v.pre != 0 && w.pre != 0 {
		if c := cmpNum(v.preN, w.preN); c != 0 {
			return c
		}
	}
	if c := cmpOpt(v.post, v.postN, w.post, w.postN, -1); c != 0 {
		return c
	}
	if c := cmpOpt(v.dev, v.devN, w.dev, w.devN, 1); c != 0 {
		return c
	}
	return cmpLocal(v.local, w.local)
}

// preKey orders the prerelease phase: a dev release of a final release sorts
// before its prereleases, a final release after them.
func (v pep440) preKey() int {
	switch {
	case v.pre != 0:
		return v.pre
	case !v.post && v.dev:
		return -1
	}
	return 4
}

// cmpOpt compares optional numbers; absent sorts as missing (-1: before any
// number, 1: after any number).
func cmpOpt(a bool, an string, b bool, bn string, missing int) int {
	switch {
	case a && b:
		return cmpNum(an, bn)
	case a:
		return -missing
	case b:
		return missing
	}
	return 0
}

// cmpLocal: no local part sorts first; numeric segments sort after
// alphanumeric ones and numerically among themselves.
func cmpLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, bn := isNum(a[i]), isNum(b[i])
		var c int
		switch {
		case an && bn:
			c = cmpNum(a[i], b[i])
		case an:
			c = 1
		case bn:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func cmpInt(a, b int) int { return a - b }
