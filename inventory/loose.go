package inventory

import (
	"strings"
)

// compareLoose is CompareVersions' fallback, for ecosystems without a known
// scheme and versions their scheme cannot read. It compares a and b like
// semantic versions (an optional leading "v", missing minor and patch count
// as 0, build metadata ignored, a pre-release sorts before its release). Parts that are not numbers are
// compared as in semver pre-release identifiers: numbers before words,
// numbers by value, words by bytes — so any string gets a total order.
func compareLoose(a, b string) int {
	a, b = strings.TrimPrefix(a, "v"), strings.TrimPrefix(b, "v")
	a, _, _ = strings.Cut(a, "+")
	b, _, _ = strings.Cut(b, "+")
	ac, apre, aHasPre := strings.Cut(a, "-")
	bc, bpre, bHasPre := strings.Cut(b, "-")
	if r := compareDotted(ac, bc, true); r != 0 {
		return r
	}
	switch {
	case aHasPre && !bHasPre:
		return -1
	case !aHasPre && bHasPre:
		return 1
	}
	return compareDotted(apre, bpre, false)
}

// compareDotted compares dot-separated identifiers. With core set, missing
// parts count as "0" (1.2 == 1.2.0); otherwise fewer parts sort first.
func compareDotted(a, b string, core bool) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y string
		switch {
		case i < len(as) && i < len(bs):
			x, y = as[i], bs[i]
		case core && i < len(as):
			x, y = as[i], "0"
		case core:
			x, y = "0", bs[i]
		case i < len(as):
			return 1
		default:
			return -1
		}
		if r := compareIdent(x, y); r != 0 {
			return r
		}
	}
	return 0
}

func compareIdent(x, y string) int {
	xn, yn := isNumber(x), isNumber(y)
	switch {
	case xn && yn:
		x, y = strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
		if len(x) != len(y) {
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	case xn:
		return -1
	case yn:
		return 1
	}
	return strings.Compare(x, y)
}

func isNumber(s string) bool {
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
