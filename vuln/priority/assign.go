package priority

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/exposure"
)

// levels are the priorities from lowest to highest; a level is an index.
var levels = []vuln.Priority{vuln.Negligible, vuln.Low, vuln.Medium, vuln.High, vuln.Critical}

// Assign returns a copy of findings with Priority and Reason set by For.
// exp is the exposure of the findings' image; nil when it is unknown.
func Assign(findings []vuln.Finding, exp *exposure.Report) []vuln.Finding {
	out := make([]vuln.Finding, len(findings))
	for i, f := range findings {
		f.Priority, f.Reason = For(&f, exp)
		out[i] = f
	}
	return out
}

// For returns the priority of f and the one-line reason for it, following
// the rule table of the package doc.
func For(f *vuln.Finding, exp *exposure.Report) (vuln.Priority, string) {
	name := f.Package.Name
	if f.Status == vuln.StatusNotAffected || f.Status == vuln.StatusFixed {
		return vuln.Negligible, fmt.Sprintf("%s is %s by a VEX decision", name, strings.ReplaceAll(string(f.Status), "_", " "))
	}
	lvl, sev := severity(f)
	var parts []string
	if f.DebianStatus == vuln.DebianUnimportant || (f.DebianStatus == "" && f.Urgency == "unimportant") {
		return vuln.Negligible, join(exposureClause(f, exp), sev, "Debian rates it unimportant (not a security problem in Debian's build or use)")
	}
	var debian string
	switch f.DebianStatus {
	case vuln.DebianNoDSA:
		lvl, debian = lvl-1, "Debian: minor issue, no security advisory planned (lowered)"
	case vuln.DebianPostponed:
		lvl, debian = lvl-1, "Debian: fix postponed to a later update (lowered)"
	case vuln.DebianIgnored:
		lvl, debian = lvl-1, "Debian: will not be fixed in this release (lowered)"
	case vuln.DebianEndOfLife:
		lvl, debian = lvl-1, "Debian: package no longer supported in this release, replace it (lowered)"
	case vuln.DebianUndetermined:
		debian = "Debian: not yet known whether this release is affected"
	}
	fix := "fixed in " + f.FixedVersion
	if f.FixedVersion == "" {
		lvl, fix = lvl-1, "no fix available yet (lowered)"
	}
	expo, delta := exposure1(f, exp)
	lvl += delta
	parts = append(parts, expo, sev, fix, debian)
	if f.Status == vuln.StatusUnderInvestigation {
		parts = append(parts, "under investigation")
	}
	lvl = max(0, min(lvl, len(levels)-1))
	return levels[lvl], join(parts...)
}

func join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "; ")
}

func exposureClause(f *vuln.Finding, exp *exposure.Report) string {
	s, _ := exposure1(f, exp)
	return s
}

// exposure1 returns the exposure clause of the reason and its effect on the
// level.
func exposure1(f *vuln.Finding, exp *exposure.Report) (string, int) {
	name := f.Package.Name
	if exp == nil || exp.Program == "" {
		return "", 0
	}
	switch f.Package.Ecosystem {
	case sbom.Deb, sbom.Golang:
	default:
		return "", 0
	}
	loaded, ok := exp.Loads(f.Package.Ecosystem, name)
	// A module found in other binaries only (the SBOM says where) is not the
	// entrypoint's, even when the entrypoint has the same module at another
	// version.
	if ok && f.Package.Ecosystem == sbom.Golang && len(f.Package.Locations) > 0 && !slices.Contains(f.Package.Locations, exp.Program) {
		ok = false
	}
	if !ok {
		what := name
		if f.Package.Ecosystem == sbom.Golang {
			what = "module " + name
		}
		return fmt.Sprintf("%s present, not loaded by the entrypoint %s (lowered)", what, exp.Program), -1
	}
	entry := exp.Program + ", the entrypoint"
	if exp.Script != "" {
		entry = exp.Program + ", which runs the entrypoint " + exp.Script
	}
	var s string
	if f.Package.Ecosystem == sbom.Golang {
		s = fmt.Sprintf("module %s is compiled into %s", name, entry)
	} else {
		s = fmt.Sprintf("%s is loaded by %s", name, entry)
	}
	delta := 0
	if len(exp.Ports) > 0 {
		s += ", which listens on " + strings.Join(exp.Ports, ", ")
		delta = 1
	}
	if len(loaded.Chain) > 1 {
		s += " (through " + strings.Join(loaded.Chain[1:], " → ") + ")"
	}
	if delta > 0 {
		s += " (raised)"
	}
	return s, delta
}

// severity returns the level the advisory's severity gives, and how to say it.
func severity(f *vuln.Finding) (int, string) {
	best, what := -1, ""
	gh := -1
	var ghWhat string
	if f.Advisory != nil {
		for _, s := range f.Advisory.Severity {
			switch s.Type {
			case "CVSS_V3":
				score, err := CVSS3(s.Score)
				if err != nil {
					continue
				}
				if l := cvssLevel(score); l > best {
					best, what = l, "CVSS "+strconv.FormatFloat(score, 'f', 1, 64)
				}
			case "GHSA":
				l, ok := map[string]int{"CRITICAL": 4, "HIGH": 3, "MODERATE": 2, "MEDIUM": 2, "LOW": 1}[strings.ToUpper(s.Score)]
				if ok && l > gh {
					gh, ghWhat = l, "rated "+strings.ToLower(s.Score)
				}
			}
		}
	}
	if best >= 0 {
		return best, what
	}
	if gh >= 0 {
		return gh, ghWhat
	}
	urgency := f.Urgency
	if urgency == "" && f.Advisory != nil {
		for _, s := range f.Advisory.Severity {
			if s.Type == "Debian" {
				urgency = s.Score
			}
		}
	}
	if l, ok := map[string]int{"emergency": 4, "critical": 4, "high": 3, "medium": 2, "low": 1, "unimportant": 0}[strings.ToLower(urgency)]; ok {
		return l, "urgency " + strings.ToLower(urgency)
	}
	return 2, "severity unknown (medium)"
}

func cvssLevel(score float64) int {
	switch {
	case score >= 9:
		return 4
	case score >= 7:
		return 3
	case score >= 4:
		return 2
	case score > 0:
		return 1
	}
	return 0
}
