package changelog

import (
	"cmp"
	"slices"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/version"
)

// Source is the vuln.Advisory Source of findings made from changelogs.
const Source = "debian-changelog"

// Findings turns updates into findings of doc: the installed version of each
// package is affected by every CVE its update closes. FixedVersion is the
// oldest upload that names the CVE and Urgency that upload's urgency.
// Findings come sorted by package, then CVE.
func Findings(doc *sbom.Document, updates []Update) []vuln.Finding {
	rel := vuln.DebianRelease(doc.Image.Distro)
	var out []vuln.Finding
	for _, u := range updates {
		first := map[string]Fix{} // CVE -> oldest upload naming it
		for _, f := range u.Fixes {
			for _, id := range f.CVEs {
				if old, ok := first[id]; !ok || compareVersions(f.Version, old.Version) < 0 {
					first[id] = f
				}
			}
		}
		src := cmp.Or(u.Package.Source, u.Package.Name)
		for _, id := range u.CVEs() {
			f := first[id]
			adv := &vuln.Advisory{
				ID:      id,
				Source:  Source,
				Summary: "fixed by " + src + " " + f.Version + " (" + f.Distribution + ")",
				Affected: []vuln.Affected{{
					Ecosystem:     vuln.Debian,
					Package:       src,
					DebianRelease: rel,
					Ranges:        []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}, {Fixed: f.Version}}}},
				}},
			}
			out = append(out, vuln.Finding{
				Package:        u.Package,
				Layer:          doc.LayerOf(u.Package),
				Advisory:       adv,
				Affected:       &adv.Affected[0],
				MatchedName:    src,
				MatchedVersion: cmp.Or(u.Package.SourceVersion, u.Package.Version),
				FixedVersion:   f.Version,
				Status:         vuln.StatusAffected,
				Urgency:        f.Urgency,
			})
		}
	}
	slices.SortStableFunc(out, func(a, b vuln.Finding) int {
		return cmp.Or(cmp.Compare(a.Package.Name, b.Package.Name), cmp.Compare(a.Package.Arch, b.Package.Arch), compareCVE(a.Advisory.ID, b.Advisory.ID))
	})
	return out
}
