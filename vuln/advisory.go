package vuln

import (
	"time"

	"github.com/ingot-dev/ingot/vuln/version"
)

// Ecosystems as OSV names them (without a release suffix: Debian's release is
// Affected.DebianRelease).
const (
	Debian = "Debian"
	Go     = "Go"
	Npm    = "npm"
	PyPI   = "PyPI"
)

// Sources of advisories.
const (
	SourceOSV           = "osv"
	SourceDebianTracker = "debian-tracker"
)

// Advisory is one vulnerability record of a feed: an OSV record, or one CVE of
// the Debian security tracker (all its packages and releases).
type Advisory struct {
	ID        string     `json:"id"`                // "GO-2023-2102", "DSA-5678-1", "CVE-2024-1234"
	Source    string     `json:"source"`            // SourceOSV, SourceDebianTracker
	Aliases   []string   `json:"aliases,omitempty"` // other identifiers of the same issue, CVE ids first
	Summary   string     `json:"summary,omitempty"`
	Severity  []Severity `json:"severity,omitempty"`
	Published time.Time  `json:"published,omitzero"`
	Modified  time.Time  `json:"modified,omitzero"`
	Affected  []Affected `json:"affected"`
}

// Severity is one severity statement of an advisory.
type Severity struct {
	// Type is "CVSS_V2", "CVSS_V3", "CVSS_V4" (Score is the vector), "GHSA"
	// (Score is LOW, MODERATE, HIGH or CRITICAL), or "Debian" (Score is the
	// tracker's urgency for the worst release: low, medium, high,
	// unimportant, end-of-life, not yet assigned).
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one package an advisory affects, in one ecosystem (and for
// Debian, one release).
type Affected struct {
	Ecosystem string `json:"ecosystem"` // Debian, Go, Npm, PyPI
	// Package is the name the ecosystem uses: the source package for Debian,
	// the module path for Go ("stdlib" for the standard library and
	// "toolchain" for the go command), the npm name with its scope, the PyPI
	// name as published.
	Package string `json:"package"`
	// Ranges are the OSV ranges of type ECOSYSTEM and SEMVER; GIT ranges are
	// dropped at import (they name commits, not versions).
	Ranges []Range `json:"ranges,omitempty"`
	// Versions lists affected versions exactly, as OSV's versions field.
	Versions []string `json:"versions,omitempty"`
	// DebianRelease is the release's major version ("12"), or its codename
	// when it has no number yet ("sid"); empty outside Debian.
	DebianRelease string `json:"debianRelease,omitempty"`
	// Debian is what the security tracker says about this package in this
	// release; nil for OSV records.
	Debian *DebianEntry `json:"debian,omitempty"`
}

// Range is one OSV range: events in the order the record gives them.
type Range struct {
	Type   string          `json:"type"` // ECOSYSTEM or SEMVER
	Events []version.Event `json:"events"`
}

// DebianEntry is one release's entry of the Debian security tracker.
type DebianEntry struct {
	Status       string `json:"status"`                 // open, resolved, undetermined
	FixedVersion string `json:"fixedVersion,omitempty"` // "0" means the release was never affected
	Urgency      string `json:"urgency,omitempty"`      // low, medium, high, unimportant, end-of-life, not yet assigned
	NoDSA        string `json:"nodsa,omitempty"`        // the no-dsa note; non-empty means no DSA is planned
	NoDSAReason  string `json:"nodsaReason,omitempty"`  // postponed, ignored, or ""
	Scope        string `json:"scope,omitempty"`        // the CVE's scope: local, remote, or ""
}

// CVEs returns the CVE identifiers of a: its ID when it is one, then its
// aliases that are.
func (a *Advisory) CVEs() []string {
	var out []string
	if isCVE(a.ID) {
		out = append(out, a.ID)
	}
	for _, id := range a.Aliases {
		if isCVE(id) && id != a.ID {
			out = append(out, id)
		}
	}
	return out
}

func isCVE(id string) bool { return len(id) > 4 && id[:4] == "CVE-" }
