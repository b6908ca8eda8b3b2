package resolve

import (
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// clash is one Conflicts or Breaks relation between two chosen packages:
// From declares Field Dep, and Against matches it.
type clash struct {
	from, against *debian.Package
	field         string
	dep           debian.Dep
}

// conflict reports whether installing p would clash with a chosen package,
// in either direction. A package never clashes with itself.
func (s *state) conflict(p *debian.Package) *clash {
	if c := s.clashFrom(p); c != nil {
		return c
	}
	names := []string{p.Name}
	for _, rel := range p.Provides {
		for _, d := range rel {
			names = append(names, d.Name)
		}
	}
	for _, n := range names {
		for _, neg := range s.negatives[n] {
			if neg.from.Name != p.Name && s.chosen[neg.from.Name] == neg.from && satisfiedBy(s.arch, neg.dep, p, true) {
				return &clash{from: neg.from, against: p, field: neg.field, dep: neg.dep}
			}
		}
	}
	return nil
}

// clashFrom finds a chosen package that p's own Conflicts or Breaks match.
func (s *state) clashFrom(p *debian.Package) *clash {
	for _, f := range []struct {
		name string
		rels []debian.Relation
	}{{"Conflicts", p.Conflicts}, {"Breaks", p.Breaks}} {
		for _, rel := range f.rels {
			for _, d := range rel {
				if q := s.chosen[d.Name]; q != nil && q.Name != p.Name && satisfiedBy(s.arch, d, q, true) {
					return &clash{from: p, against: q, field: f.name, dep: d}
				}
				for _, pr := range s.ix.Providers(d.Name) {
					q := pr.Package
					if q.Name != p.Name && s.chosen[q.Name] == q && providesMatch(d, pr) {
						return &clash{from: p, against: q, field: f.name, dep: d}
					}
				}
			}
		}
	}
	return nil
}

// checkConflicts verifies the final set, in name order so the error is
// deterministic.
func (s *state) checkConflicts() error {
	names := make([]string, 0, len(s.chosen))
	for n := range s.chosen {
		names = append(names, n)
	}
	slices.SortFunc(names, strings.Compare)
	for _, n := range names {
		if c := s.clashFrom(s.chosen[n]); c != nil {
			return s.conflictError(c)
		}
	}
	return nil
}

func (s *state) conflictError(c *clash) error {
	return &ConflictError{
		Package: c.from, Other: c.against, Field: c.field, Dep: c.dep,
		Chain: s.chain(c.from), OtherChain: s.chain(c.against),
	}
}

// chain returns the steps from a requested package to p.
func (s *state) chain(p *debian.Package) []Step {
	return chainOf(s.reasons, p)
}

func chainOf(reasons map[string]*Reason, p *debian.Package) []Step {
	var rev []Step
	seen := map[string]bool{}
	for p != nil && !seen[p.Name] {
		seen[p.Name] = true
		r := reasons[p.Name]
		if r == nil {
			rev = append(rev, Step{Package: p})
			break
		}
		rev = append(rev, Step{Package: p, Via: r.Via, Field: r.Field})
		p = r.From
	}
	slices.Reverse(rev)
	return rev
}
