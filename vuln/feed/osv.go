package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/version"
)

// MaxRecord is the largest OSV record ParseOSV accepts. The largest real
// records (GHSA advisories listing thousands of versions) are well under it.
const MaxRecord = 16 << 20

// ErrIgnored is returned by ParseOSV for a valid record that ingot does not
// keep: withdrawn, or affecting none of the Debian, Go, npm and PyPI
// ecosystems.
var ErrIgnored = errors.New("record ignored")

// ErrBadRecord is wrapped by errors about records that are not valid OSV or
// tracker JSON.
var ErrBadRecord = errors.New("bad record")

type osvRecord struct {
	ID        string        `json:"id"`
	Modified  string        `json:"modified"`
	Published string        `json:"published"`
	Withdrawn string        `json:"withdrawn"`
	Aliases   []string      `json:"aliases"`
	Upstream  []string      `json:"upstream"`
	Summary   string        `json:"summary"`
	Details   string        `json:"details"`
	Severity  []osvSeverity `json:"severity"`
	Affected  []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Severity []osvSeverity `json:"severity"`
		Ranges   []struct {
			Type   string          `json:"type"`
			Events []version.Event `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
	DatabaseSpecific struct {
		Severity any `json:"severity"`
	} `json:"database_specific"`
}

type osvSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// ParseOSV reads one OSV record (schema 1.x) into an Advisory. Affected
// entries of other ecosystems and GIT ranges are dropped; a record left with
// nothing ingot can match, or withdrawn, gives ErrIgnored. Malformed records
// give an error wrapping ErrBadRecord.
func ParseOSV(data []byte) (*vuln.Advisory, error) {
	if len(data) > MaxRecord {
		return nil, fmt.Errorf("%w: OSV record of %d bytes is larger than %d", ErrBadRecord, len(data), MaxRecord)
	}
	var r osvRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: not an OSV JSON record: %v", ErrBadRecord, err)
	}
	if r.ID == "" {
		return nil, fmt.Errorf("%w: OSV record without an id", ErrBadRecord)
	}
	if r.Withdrawn != "" {
		return nil, fmt.Errorf("%s: withdrawn: %w", r.ID, ErrIgnored)
	}
	a := &vuln.Advisory{ID: r.ID, Source: vuln.SourceOSV, Summary: summary(r.Summary, r.Details)}
	var err error
	if a.Modified, err = osvTime(r.Modified); err != nil {
		return nil, fmt.Errorf("%w: %s: modified: %v", ErrBadRecord, r.ID, err)
	}
	if a.Published, err = osvTime(r.Published); err != nil {
		return nil, fmt.Errorf("%w: %s: published: %v", ErrBadRecord, r.ID, err)
	}
	a.Aliases = aliases(r.ID, append(slices.Clone(r.Aliases), r.Upstream...))
	addSeverity := func(ss []osvSeverity) {
		for _, s := range ss {
			sev := vuln.Severity{Type: s.Type, Score: s.Score}
			if s.Type != "" && s.Score != "" && !slices.Contains(a.Severity, sev) {
				a.Severity = append(a.Severity, sev)
			}
		}
	}
	addSeverity(r.Severity)
	if s, ok := r.DatabaseSpecific.Severity.(string); ok && s != "" {
		addSeverity([]osvSeverity{{Type: "GHSA", Score: strings.ToUpper(s)}})
	}
	for i, af := range r.Affected {
		eco, release := splitEcosystem(af.Package.Ecosystem)
		if eco == "" {
			continue
		}
		if af.Package.Name == "" {
			return nil, fmt.Errorf("%w: %s: affected[%d] has no package name", ErrBadRecord, r.ID, i)
		}
		out := vuln.Affected{Ecosystem: eco, Package: af.Package.Name, DebianRelease: release, Versions: af.Versions}
		for j, rg := range af.Ranges {
			switch rg.Type {
			case "SEMVER", "ECOSYSTEM":
			case "GIT":
				continue
			default:
				return nil, fmt.Errorf("%w: %s: affected[%d].ranges[%d] has unknown type %q", ErrBadRecord, r.ID, i, j, rg.Type)
			}
			if len(rg.Events) == 0 {
				return nil, fmt.Errorf("%w: %s: affected[%d].ranges[%d] has no events", ErrBadRecord, r.ID, i, j)
			}
			for k, e := range rg.Events {
				if n := countSet(e); n != 1 {
					return nil, fmt.Errorf("%w: %s: affected[%d].ranges[%d].events[%d] sets %d of introduced, fixed, last_affected, limit; want one", ErrBadRecord, r.ID, i, j, k, n)
				}
			}
			out.Ranges = append(out.Ranges, vuln.Range{Type: rg.Type, Events: rg.Events})
		}
		if len(out.Ranges) == 0 && len(out.Versions) == 0 {
			continue
		}
		addSeverity(af.Severity)
		a.Affected = append(a.Affected, out)
	}
	if len(a.Affected) == 0 {
		return nil, fmt.Errorf("%s: no Debian, Go, npm or PyPI package with versions: %w", r.ID, ErrIgnored)
	}
	return a, nil
}

func countSet(e version.Event) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

// splitEcosystem maps an OSV ecosystem to ingot's and the Debian release;
// "" for ecosystems ingot does not match.
func splitEcosystem(e string) (eco, release string) {
	base, suffix, _ := strings.Cut(e, ":")
	switch base {
	case vuln.Debian:
		if suffix == "" {
			return "", ""
		}
		return vuln.Debian, vuln.DebianRelease(suffix)
	case vuln.Go, vuln.Npm, vuln.PyPI:
		return base, ""
	}
	return "", ""
}

func osvTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// summary is the record's summary, else the first line of its details,
// shortened to 200 bytes.
func summary(sum, details string) string {
	s := strings.TrimSpace(sum)
	if s == "" {
		s, _, _ = strings.Cut(strings.TrimSpace(details), "\n")
	}
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:197], "") + "..."
	}
	return s
}

// aliases returns the distinct ids other than id, CVE ids first, each group
// sorted.
func aliases(id string, ids []string) []string {
	var out []string
	for _, a := range ids {
		if a != "" && a != id && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		ac, bc := strings.HasPrefix(a, "CVE-"), strings.HasPrefix(b, "CVE-")
		if ac != bc {
			if ac {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}
