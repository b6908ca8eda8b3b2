package inventory

import "strings"

// PURLBase returns purl without version, qualifiers and subpath:
// "pkg:deb/debian/openssl@3.0.15-1?arch=amd64" → "pkg:deb/debian/openssl".
func PURLBase(purl string) string {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	if i := strings.LastIndexByte(purl, '@'); i >= 0 {
		purl = purl[:i]
	}
	return purl
}

// purlVersion returns the version of purl, "" if it has none.
func purlVersion(purl string) string {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	if i := strings.LastIndexByte(purl, '@'); i >= 0 {
		return purl[i+1:]
	}
	return ""
}
