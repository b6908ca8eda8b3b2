package version

import "github.com/ingot-dev/ingot/debian"

type dpkgScheme struct{}

func (dpkgScheme) Name() string { return "dpkg" }

// Parse parses a dpkg version with debian.ParseVersion.
func (dpkgScheme) Parse(s string) (Version, error) {
	v, err := debian.ParseVersion(s)
	if err != nil {
		return nil, invalid("dpkg", s, err.Error())
	}
	return dpkgVersion(v), nil
}

type dpkgVersion debian.Version

func (v dpkgVersion) Compare(o Version) int {
	return debian.Version(v).Compare(debian.Version(o.(dpkgVersion)))
}

func (v dpkgVersion) String() string { return debian.Version(v).String() }
