package resolve

import (
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// archOK reports whether p may satisfy a dependency with d's architecture
// qualifier, following dpkg's deparchsatisfied on a single-architecture
// universe. negative is true for Conflicts and Breaks, where name:any
// matches every architecture.
func archOK(arch string, d debian.Dep, p *debian.Package, negative bool) bool {
	if p.MultiArch == "foreign" {
		return true
	}
	switch d.ArchQual {
	case "", "native":
		return p.Architecture == arch || p.Architecture == "all"
	case "any":
		return negative || p.MultiArch == "allowed"
	default:
		return d.ArchQual == arch && (p.Architecture == arch || p.Architecture == "all")
	}
}

// providesMatch reports whether provider record pr satisfies d: an
// unversioned Provides only satisfies an unversioned dependency.
func providesMatch(d debian.Dep, pr debian.Provider) bool {
	if !d.HasVersion() {
		return true
	}
	return pr.Op == "=" && d.Satisfies(pr.Version)
}

// satisfiedBy reports whether package p satisfies dependency d, by name or
// through its Provides.
func satisfiedBy(arch string, d debian.Dep, p *debian.Package, negative bool) bool {
	if !archOK(arch, d, p, negative) {
		return false
	}
	if p.Name == d.Name && d.Satisfies(p.Version) {
		return true
	}
	for _, rel := range p.Provides {
		for _, pd := range rel {
			if pd.Name != d.Name {
				continue
			}
			if providesMatch(d, debian.Provider{Package: p, Op: pd.Op, Version: pd.Version}) {
				return true
			}
		}
	}
	return false
}

// priorityRank orders the Priority field as apt's cache does (lower first).
func priorityRank(p string) int {
	switch strings.ToLower(p) {
	case "required":
		return 1
	case "important":
		return 2
	case "standard":
		return 3
	case "optional":
		return 4
	case "extra":
		return 5
	}
	return 6
}

func important(p *debian.Package) bool {
	return strings.EqualFold(p.Paragraph.Get("Important"), "yes") ||
		strings.EqualFold(p.Paragraph.Get("Protected"), "yes")
}

// compareSolutions orders the solutions of one alternative named target as
// apt's CompareProviders does, minus apt's cache-id tie-break (see doc.go).
func compareSolutions(target string) func(a, b *debian.Package) int {
	return func(a, b *debian.Package) int {
		if (a.Name == target) != (b.Name == target) {
			if a.Name == target {
				return -1
			}
			return 1
		}
		if a.Essential != b.Essential {
			if a.Essential {
				return -1
			}
			return 1
		}
		if ia, ib := important(a), important(b); ia != ib {
			if ia {
				return -1
			}
			return 1
		}
		if c := priorityRank(a.Priority) - priorityRank(b.Priority); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	}
}

// solutions lists the packages that could satisfy relation rel, alternative
// by alternative, each alternative's solutions in apt's provider order,
// without duplicates. cand returns the version of a name that may be
// installed (the candidate, or a pinned version).
func (s *state) solutions(rel debian.Relation) []*debian.Package {
	var out []*debian.Package
	seen := map[*debian.Package]bool{}
	for _, d := range rel {
		var alt []*debian.Package
		if p := s.cand(d.Name); p != nil && !seen[p] && s.dropped[p.Name] == nil && satisfiedBy(s.arch, d, p, false) {
			alt = append(alt, p)
			seen[p] = true
		}
		for _, pr := range s.ix.Providers(d.Name) {
			p := pr.Package
			if seen[p] || s.dropped[p.Name] != nil || s.cand(p.Name) != p || !providesMatch(d, pr) || !archOK(s.arch, d, p, false) {
				continue
			}
			alt = append(alt, p)
			seen[p] = true
		}
		slices.SortStableFunc(alt, compareSolutions(d.Name))
		out = append(out, alt...)
	}
	return out
}

// chosenSatisfying returns the chosen package that satisfies rel, or nil.
func (s *state) chosenSatisfying(rel debian.Relation) *debian.Package {
	for _, d := range rel {
		if p := s.chosen[d.Name]; p != nil && satisfiedBy(s.arch, d, p, false) {
			return p
		}
		for _, pr := range s.ix.Providers(d.Name) {
			p := pr.Package
			if s.chosen[p.Name] == p && providesMatch(d, pr) && archOK(s.arch, d, p, false) {
				return p
			}
		}
	}
	return nil
}
