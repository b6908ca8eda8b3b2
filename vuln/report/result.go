package report

import (
	"cmp"
	"slices"

	"github.com/ingot-dev/ingot/vuln"
)

// Image identifies the scanned image.
type Image struct {
	Ref      string `json:"ref"`            // what the user named
	Name     string `json:"name,omitempty"` // repository
	Digest   string `json:"digest,omitempty"`
	Platform string `json:"platform,omitempty"`
	Distro   string `json:"distro,omitempty"`
}

// Result is what a scan of one image found.
type Result struct {
	Image    Image          `json:"image"`
	Findings []vuln.Finding `json:"findings"`
	Summary  Summary        `json:"summary"`
}

// Summary counts a result's findings by priority. Findings that a VEX
// decision marked not_affected or fixed count only as Suppressed.
type Summary struct {
	Critical      int `json:"critical"`
	High          int `json:"high"`
	Medium        int `json:"medium"`
	Low           int `json:"low"`
	Negligible    int `json:"negligible"`
	Unprioritised int `json:"unprioritised,omitempty"`
	Suppressed    int `json:"suppressed"`
}

// Suppressed reports whether a VEX decision says f needs no action.
func Suppressed(f *vuln.Finding) bool {
	return f.Status == vuln.StatusNotAffected || f.Status == vuln.StatusFixed
}

// Summarise counts findings.
func Summarise(fs []vuln.Finding) Summary {
	var s Summary
	for i := range fs {
		s.Add(&fs[i])
	}
	return s
}

// Add counts one finding.
func (s *Summary) Add(f *vuln.Finding) {
	if Suppressed(f) {
		s.Suppressed++
		return
	}
	switch f.Priority {
	case vuln.Critical:
		s.Critical++
	case vuln.High:
		s.High++
	case vuln.Medium:
		s.Medium++
	case vuln.Low:
		s.Low++
	case vuln.Negligible:
		s.Negligible++
	default:
		s.Unprioritised++
	}
}

// AtLeast returns the number of findings needing action whose priority is p
// or higher.
func (s Summary) AtLeast(p vuln.Priority) int {
	n := 0
	for _, c := range []struct {
		p vuln.Priority
		n int
	}{{vuln.Critical, s.Critical}, {vuln.High, s.High}, {vuln.Medium, s.Medium}, {vuln.Low, s.Low}, {vuln.Negligible, s.Negligible}} {
		if c.p.Rank() >= p.Rank() {
			n += c.n
		}
	}
	return n
}

// Sort orders findings for reading: those needing action first, highest
// priority first, then by vulnerability, package and version.
func Sort(fs []vuln.Finding) {
	slices.SortStableFunc(fs, func(a, b vuln.Finding) int {
		sa, sb := Suppressed(&a), Suppressed(&b)
		if sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Priority.Rank(), a.Priority.Rank()), cmp.Compare(a.ID(), b.ID()),
			cmp.Compare(a.Package.Name, b.Package.Name), cmp.Compare(a.Package.Version, b.Package.Version))
	})
}
