package feed

import (
	"sort"

	"github.com/ingot-dev/ingot/vuln"
)

// DB is an in-memory index of advisories by (ecosystem, package name), made
// once by Load or NewDB and then only read: safe for concurrent use.
type DB struct {
	byName map[nameKey][]*vuln.Advisory
	byID   map[string][]*vuln.Advisory
	all    []*vuln.Advisory
}

var _ vuln.Index = (*DB)(nil)

type nameKey struct{ ecosystem, name string }

// NewDB indexes advisories. They are not copied: callers must not modify
// them afterwards.
func NewDB(advisories []*vuln.Advisory) *DB {
	db := &DB{
		byName: make(map[nameKey][]*vuln.Advisory),
		byID:   make(map[string][]*vuln.Advisory),
		all:    advisories,
	}
	for _, a := range advisories {
		seen := map[nameKey]bool{}
		for _, af := range a.Affected {
			k := nameKey{af.Ecosystem, vuln.NormalizeName(af.Ecosystem, af.Package)}
			if !seen[k] {
				seen[k] = true
				db.byName[k] = append(db.byName[k], a)
			}
		}
		db.byID[a.ID] = append(db.byID[a.ID], a)
		for _, al := range a.Aliases {
			db.byID[al] = append(db.byID[al], a)
		}
	}
	return db
}

// Lookup returns the advisories with an Affected entry for name in
// ecosystem (vuln.Debian, vuln.Go, vuln.Npm, vuln.PyPI). Debian names are
// source packages; PyPI names are compared normalised (PEP 503). The slice is
// shared: do not modify it.
func (db *DB) Lookup(ecosystem, name string) []*vuln.Advisory {
	return db.byName[nameKey{ecosystem, vuln.NormalizeName(ecosystem, name)}]
}

// Get returns the advisories whose ID or one of whose aliases is id ("CVE-2024-1234"
// finds the tracker's entry and the OSV records that alias it), sorted by
// source and ID.
func (db *DB) Get(id string) []*vuln.Advisory {
	out := append([]*vuln.Advisory(nil), db.byID[id]...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Len returns the number of advisories.
func (db *DB) Len() int { return len(db.all) }

// All returns every advisory, in the order they were loaded. Shared: do not
// modify.
func (db *DB) All() []*vuln.Advisory { return db.all }
