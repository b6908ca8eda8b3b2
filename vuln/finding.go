package vuln

import "github.com/ingot-dev/ingot/sbom"

// Status is what a finding says about the package, in VEX's vocabulary.
type Status string

// Statuses of a finding. Match reports StatusAffected and
// StatusUnderInvestigation; VEX
// decisions (vuln/vex) may turn a finding into any of them.
const (
	StatusAffected           Status = "affected"
	StatusFixed              Status = "fixed"
	StatusNotAffected        Status = "not_affected"
	StatusUnderInvestigation Status = "under_investigation"
)

// DebianStatus is the Debian security team's position on a finding, from the
// tracker: the tracker's status, refined by its urgency and no-dsa markers.
// It is empty for findings that did not come from the tracker.
type DebianStatus string

// Debian statuses, from the most to the least actionable.
const (
	DebianResolved     DebianStatus = "resolved"     // a fixed version exists in the release
	DebianOpen         DebianStatus = "open"         // unfixed, a fix is expected
	DebianUndetermined DebianStatus = "undetermined" // not known whether the release is affected
	DebianNoDSA        DebianStatus = "no-dsa"       // minor issue: no security advisory planned, maybe a point release
	DebianPostponed    DebianStatus = "postponed"    // no-dsa, fix postponed to a later update
	DebianIgnored      DebianStatus = "ignored"      // no-dsa, the team decided not to fix it in this release
	DebianEndOfLife    DebianStatus = "end-of-life"  // the package is no longer supported in the release
	DebianUnimportant  DebianStatus = "unimportant"  // not a security problem in Debian's build or use
)

// Priority says how urgently a finding needs action; vuln/priority sets it.
type Priority string

// Priorities, highest first. Empty means not yet prioritised.
const (
	Critical   Priority = "critical"
	High       Priority = "high"
	Medium     Priority = "medium"
	Low        Priority = "low"
	Negligible Priority = "negligible"
)

// Rank orders priorities: Critical is 5, Negligible 1, anything else 0.
func (p Priority) Rank() int {
	switch p {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case Negligible:
		return 1
	}
	return 0
}

// Finding is one advisory that affects one package of one image.
type Finding struct {
	Package sbom.Package `json:"package"`
	// Layer is the layer that introduced the package, nil when unknown.
	Layer    *sbom.Layer `json:"layer,omitempty"`
	Advisory *Advisory   `json:"advisory"`
	// Affected is the entry of Advisory.Affected that matched.
	Affected *Affected `json:"-"`
	// MatchedName and MatchedVersion are what was compared: the Debian source
	// package and source version for deb packages, the module path and its
	// version without "v" for Go, the name and version otherwise.
	MatchedName    string `json:"matchedName"`
	MatchedVersion string `json:"matchedVersion"`
	// FixedVersion is the lowest version that fixes the advisory above the
	// installed one, "" when no fix is known.
	FixedVersion string       `json:"fixedVersion,omitempty"`
	Status       Status       `json:"status"`
	DebianStatus DebianStatus `json:"debianStatus,omitempty"`
	// Urgency is the Debian tracker's urgency for this release, "" otherwise.
	Urgency  string   `json:"urgency,omitempty"`
	Priority Priority `json:"priority,omitempty"`
	// Reason is one line explaining Priority (and Status, when a VEX decision
	// set it).
	Reason string `json:"reason,omitempty"`
}

// ID returns the identifier to show for f: the first CVE of its advisory,
// else the advisory's ID.
func (f *Finding) ID() string {
	if cves := f.Advisory.CVEs(); len(cves) > 0 {
		return cves[0]
	}
	return f.Advisory.ID
}

// Index is what Match needs from a feed store: the advisories that name a
// package of an ecosystem. vuln/feed's DB implements it.
type Index interface {
	// Lookup returns the advisories with an Affected entry for name in
	// ecosystem (Debian names are source packages). The result is shared:
	// callers must not modify it.
	Lookup(ecosystem, name string) []*Advisory
}
