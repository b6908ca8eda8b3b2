package vuln

import (
	"strings"

	"github.com/ingot-dev/ingot/sbom"
)

// DebianRelease returns the canonical name of a Debian release: its major
// version for a codename (sbom.DebianMajor's table) or a version
// ("bookworm", "12", "12.5", "debian-12", "debian-bookworm" all give "12"),
// the codename itself when it has no number ("sid"), "" for "".
func DebianRelease(s string) string {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "debian-"))
	if n, ok := sbom.DebianMajor(s); ok {
		return n
	}
	if major, _, _ := strings.Cut(s, "."); major != "" && isDigits(major) {
		return major
	}
	if s == "unstable" {
		return "sid"
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
