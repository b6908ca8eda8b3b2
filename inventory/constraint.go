package inventory

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/version"
)

// MaxConstraint bounds the length of a version constraint.
const MaxConstraint = 1024

// Constraint is a conjunction of version comparisons, such as
// ">= 1.2, < 1.3". The zero Constraint matches every version.
type Constraint struct {
	terms []term
}

type term struct {
	op      string // "<", "<=", ">", ">=", "=", "!="
	version string
}

// String returns the constraint in its canonical form.
func (c Constraint) String() string {
	parts := make([]string, len(c.terms))
	for i, t := range c.terms {
		parts[i] = t.op + " " + t.version
	}
	return strings.Join(parts, ", ")
}

// ParseConstraint parses comma-separated comparisons: "< 3.0.15",
// ">= 1.2, < 1.3", "= 1.0", "!= 2.0". A bare version means "=". Spaces
// around the operator are optional.
func ParseConstraint(s string) (Constraint, error) {
	if len(s) > MaxConstraint {
		return Constraint{}, fmt.Errorf("version constraint is %d bytes long, more than %d", len(s), MaxConstraint)
	}
	var c Constraint
	if strings.TrimSpace(s) == "" {
		return c, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		op := "="
		for _, o := range []string{"<=", ">=", "!=", "==", "<<", ">>", "<", ">", "="} {
			if strings.HasPrefix(part, o) {
				op, part = o, strings.TrimSpace(part[len(o):])
				break
			}
		}
		switch op { // dpkg's spellings
		case "==":
			op = "="
		case "<<":
			op = "<"
		case ">>":
			op = ">"
		}
		if part == "" || strings.ContainsAny(part, " \t<>=!") {
			return Constraint{}, fmt.Errorf("bad version constraint %q: want comparisons like \"< 3.0.15\" or \">= 1.2, < 1.3\"", s)
		}
		c.terms = append(c.terms, term{op: op, version: part})
	}
	return c, nil
}

// Match reports whether version, in ecosystem's ordering, satisfies c.
func (c Constraint) Match(ecosystem, version string) (bool, error) {
	for _, t := range c.terms {
		r, err := CompareVersions(ecosystem, version, t.version)
		if err != nil {
			return false, err
		}
		var ok bool
		switch t.op {
		case "<":
			ok = r < 0
		case "<=":
			ok = r <= 0
		case ">":
			ok = r > 0
		case ">=":
			ok = r >= 0
		case "=":
			ok = r == 0
		case "!=":
			ok = r != 0
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// Comparator names the version ordering CompareVersions uses for ecosystem:
// "dpkg" for deb, "semver" for golang and npm, "pep440" for pypi, "loose"
// for any other. A golang, npm or pypi version its scheme cannot read is
// compared loosely too: part by part, numbers as numbers, a "-suffix"
// before the release.
func Comparator(ecosystem string) string {
	if ecosystem == sbom.Deb {
		return "dpkg"
	}
	if s := version.ForEcosystem(ecosystem); s != nil {
		return s.Name()
	}
	return "loose"
}

// CompareVersions compares two versions of ecosystem's packages and returns
// -1, 0 or +1, in the ordering Comparator names. Only Debian versions can
// fail to compare: every other pair falls back to the loose ordering.
func CompareVersions(ecosystem, a, b string) (int, error) {
	if ecosystem == sbom.Deb {
		r, err := debian.CompareVersions(a, b)
		if err != nil {
			return 0, fmt.Errorf("comparing Debian versions %q and %q: %w", a, b, err)
		}
		return r, nil
	}
	if s := version.ForEcosystem(ecosystem); s != nil {
		if r, err := version.Compare(s, a, b); err == nil {
			return cmp.Compare(r, 0), nil
		}
	}
	return compareLoose(a, b), nil
}
