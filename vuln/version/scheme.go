package version

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error about a version a scheme cannot parse.
var ErrInvalid = errors.New("invalid version")

// Version is a parsed version of one Scheme. Compare is only meaningful
// between versions of the same scheme.
type Version interface {
	// Compare returns a negative number when v < o, zero when equal and a
	// positive number when v > o.
	Compare(o Version) int
	String() string
}

// Scheme is a way of ordering versions.
type Scheme interface {
	Name() string
	Parse(s string) (Version, error)
}

// The schemes.
var (
	Dpkg   Scheme = dpkgScheme{}
	Semver Scheme = semverScheme{}
	PEP440 Scheme = pep440Scheme{}
)

// ForEcosystem returns the scheme of an OSV ecosystem ("Debian", "Debian:12",
// "Go", "npm", "PyPI") for ranges of type ECOSYSTEM, or nil when ingot does
// not know it. Ranges of type SEMVER always use Semver.
func ForEcosystem(ecosystem string) Scheme {
	base, _, _ := strings.Cut(ecosystem, ":")
	switch base {
	case "Debian", "deb":
		return Dpkg
	case "Go", "golang", "npm":
		return Semver
	case "PyPI", "pypi":
		return PEP440
	}
	return nil
}

// ForRange returns the scheme of an OSV range of type rangeType ("SEMVER",
// "ECOSYSTEM") in ecosystem, or nil for GIT ranges and unknown ecosystems.
func ForRange(ecosystem, rangeType string) Scheme {
	switch rangeType {
	case "SEMVER":
		return Semver
	case "ECOSYSTEM":
		return ForEcosystem(ecosystem)
	}
	return nil
}

// Compare parses a and b with s and compares them.
func Compare(s Scheme, a, b string) (int, error) {
	va, err := s.Parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := s.Parse(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

func invalid(scheme, s, why string) error {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Errorf("%w %q for %s: %s", ErrInvalid, s, scheme, why)
}
