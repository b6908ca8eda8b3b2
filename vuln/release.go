package vuln

import "strings"

// debianReleases maps codenames to major versions.
var debianReleases = map[string]string{
	"wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10",
	"bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14", "duke": "15",
}

// DebianRelease returns the canonical name of a Debian release: its major
// version for a codename or a version ("bookworm", "12", "12.5", "debian-12",
// "debian-bookworm" all give "12"), the codename itself when it has no number
// ("sid"), "" for "".
func DebianRelease(s string) string {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "debian-"))
	if n, ok := debianReleases[s]; ok {
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
