package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/version"
)

// MaxTracker bounds the Debian security tracker JSON ReadTracker reads (the
// real file is under 100 MiB).
const MaxTracker = 1 << 30

// Problem is one record an import skipped, and why.
type Problem struct {
	File   string `json:"file"`
	Record string `json:"record,omitempty"` // the OSV id, or "package/CVE release" in the tracker
	Error  string `json:"error"`
}

type trackerCVE struct {
	Description string                    `json:"description"`
	Scope       string                    `json:"scope"`
	Releases    map[string]trackerRelease `json:"releases"`
}

type trackerRelease struct {
	Status       string `json:"status"`
	FixedVersion string `json:"fixed_version"`
	Urgency      string `json:"urgency"`
	NoDSA        string `json:"nodsa"`
	NoDSAReason  string `json:"nodsa_reason"`
}

// urgencyRank orders the tracker's urgencies for the advisory's severity.
var urgencyRank = map[string]int{
	"unimportant": 1, "end-of-life": 2, "not yet assigned": 3, "low": 4, "medium": 5, "high": 6,
}

// ReadTracker reads the Debian security tracker's JSON ({package: {CVE:
// {description, scope, releases: {codename: {status, fixed_version,
// urgency, nodsa, nodsa_reason}}}}}) and returns one advisory per CVE (or
// TEMP- id) with an Affected entry per source package and release, sorted by
// ID. Releases fixed at version "0" were never affected and are left out.
// Entries it cannot read are returned as problems (with file as their File)
// and skipped; a file that is not tracker JSON at all is an error.
func ReadTracker(r io.Reader, file string) ([]*vuln.Advisory, []Problem, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxTracker))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("%w: %s is not Debian security tracker JSON (want an object of packages)", ErrBadRecord, file)
	}
	byID := map[string]*vuln.Advisory{}
	var problems []Problem
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: reading %s: %v", ErrBadRecord, file, err)
		}
		pkg, _ := t.(string)
		var cves map[string]trackerCVE
		if err := dec.Decode(&cves); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return nil, nil, fmt.Errorf("%w: reading %s at package %q: %v", ErrBadRecord, file, pkg, err)
			}
			problems = append(problems, Problem{File: file, Record: pkg, Error: err.Error()})
			continue
		}
		for _, id := range sortedKeys(cves) {
			c := cves[id]
			for _, rel := range sortedKeys(c.Releases) {
				e := c.Releases[rel]
				af, err := trackerAffected(pkg, rel, c.Scope, e)
				if err != nil {
					problems = append(problems, Problem{File: file, Record: pkg + "/" + id + " " + rel, Error: err.Error()})
					continue
				}
				if af == nil {
					continue
				}
				a := byID[id]
				if a == nil {
					a = &vuln.Advisory{ID: id, Source: vuln.SourceDebianTracker, Summary: summary("", c.Description)}
					byID[id] = a
				}
				a.Affected = append(a.Affected, *af)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("%w: reading %s: %v", ErrBadRecord, file, err)
	}
	out := make([]*vuln.Advisory, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		a := byID[id]
		worst := ""
		for _, af := range a.Affected {
			if urgencyRank[af.Debian.Urgency] > urgencyRank[worst] {
				worst = af.Debian.Urgency
			}
		}
		if worst != "" {
			a.Severity = []vuln.Severity{{Type: "Debian", Score: worst}}
		}
		out = append(out, a)
	}
	return out, problems, nil
}

func trackerAffected(pkg, codename, scope string, e trackerRelease) (*vuln.Affected, error) {
	if pkg == "" {
		return nil, errors.New("empty package name")
	}
	entry := &vuln.DebianEntry{
		Status:       e.Status,
		FixedVersion: e.FixedVersion,
		Urgency:      strings.TrimRight(strings.TrimSpace(e.Urgency), "*"),
		NoDSA:        e.NoDSA,
		NoDSAReason:  e.NoDSAReason,
		Scope:        scope,
	}
	af := &vuln.Affected{Ecosystem: vuln.Debian, Package: pkg, DebianRelease: vuln.DebianRelease(codename), Debian: entry}
	switch e.Status {
	case "resolved":
		if e.FixedVersion == "0" {
			return nil, nil
		}
		if e.FixedVersion == "" {
			return nil, errors.New("status resolved without a fixed_version")
		}
		if _, err := debian.ParseVersion(e.FixedVersion); err != nil {
			return nil, fmt.Errorf("fixed_version: %w", err)
		}
		af.Ranges = []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}, {Fixed: e.FixedVersion}}}}
	case "open", "undetermined":
		af.Ranges = []vuln.Range{{Type: "ECOSYSTEM", Events: []version.Event{{Introduced: "0"}}}}
		entry.FixedVersion = ""
	default:
		return nil, fmt.Errorf("unknown status %q (want open, resolved or undetermined)", e.Status)
	}
	switch entry.NoDSAReason {
	case "", "postponed", "ignored":
	default:
		return nil, fmt.Errorf("unknown nodsa_reason %q (want postponed or ignored)", e.NoDSAReason)
	}
	return af, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return slices.Clip(keys)
}
