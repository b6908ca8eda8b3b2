package sbom

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// DebPURL returns the purl of a Debian binary package as the ecosystem
// writes it: pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl.
// The epoch colon and '+' are percent-encoded. distro and upstream are
// omitted when empty; upstream is omitted when it equals the name.
func DebPURL(name, version, arch, distro, source string) string {
	q := map[string]string{}
	if arch != "" {
		q["arch"] = arch
	}
	if distro != "" {
		q["distro"] = distro
	}
	if source != "" && source != name {
		q["upstream"] = source
	}
	return encodeColon(packageurl.NewPackageURL("deb", "debian", name, version, packageurl.QualifiersFromMap(q), "").ToString())
}

// GoPURL returns pkg:golang/<module path>@<version>.
func GoPURL(module, version string) string {
	ns, name := splitLast(module)
	return packageurl.NewPackageURL("golang", ns, name, version, nil, "").ToString()
}

// NpmPURL returns pkg:npm/[%40scope/]name@version.
func NpmPURL(name, version string) string {
	ns, n := "", name
	if strings.HasPrefix(name, "@") {
		ns, n = splitLast(name)
	}
	return packageurl.NewPackageURL("npm", ns, n, version, nil, "").ToString()
}

// PyPIPURL returns pkg:pypi/<normalised name>@version.
func PyPIPURL(name, version string) string {
	n := strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(name))
	return packageurl.NewPackageURL("pypi", "", n, version, nil, "").ToString()
}

func splitLast(path string) (ns, name string) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", path
	}
	return path[:i], path[i+1:]
}

// encodeColon percent-encodes ':' in the version part (between '@' and the
// qualifiers), which packageurl-go leaves as is: Debian epochs must not be
// confused with other purl syntax by strict readers.
func encodeColon(purl string) string {
	at := strings.IndexByte(purl, '@')
	if at < 0 {
		return purl
	}
	end := len(purl)
	if i := strings.IndexAny(purl[at:], "?#"); i >= 0 {
		end = at + i
	}
	return purl[:at] + strings.ReplaceAll(purl[at:end], ":", "%3A") + purl[end:]
}
