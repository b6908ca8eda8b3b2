package changelog

import (
	"regexp"
	"slices"
	"strings"
)

var cveRE = regexp.MustCompile(`CVE-\d{4}-\d{4,}`)

// CVEs returns the CVE identifiers text names, upper-cased, sorted and
// without duplicates. Changelogs write them in any case ("cve-2024-1234").
func CVEs(text string) []string {
	ids := cveRE.FindAllString(strings.ToUpper(text), -1)
	slices.SortFunc(ids, compareCVE)
	return slices.Compact(ids)
}

// compareCVE orders CVE ids by year, then number (CVE-2024-9999 before
// CVE-2024-10000).
func compareCVE(a, b string) int {
	if len(a) != len(b) && a[:8] == b[:8] {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
