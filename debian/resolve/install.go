package resolve

import (
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// choose marks p for installation.
func (s *state) choose(p *debian.Package, why *Reason) {
	s.chosen[p.Name] = p
	if why != nil {
		s.reasons[p.Name] = why
	}
	for _, f := range []struct {
		name string
		rels []debian.Relation
	}{{"Conflicts", p.Conflicts}, {"Breaks", p.Breaks}} {
		for _, rel := range f.rels {
			for _, d := range rel {
				s.negatives[d.Name] = append(s.negatives[d.Name], negative{p, f.name, d})
			}
		}
	}
}

func (s *state) deps(p *debian.Package) []fieldRel {
	var out []fieldRel
	for _, r := range p.PreDepends {
		out = append(out, fieldRel{"Pre-Depends", r})
	}
	for _, r := range p.Depends {
		out = append(out, fieldRel{"Depends", r})
	}
	if s.req.WithRecommends {
		for _, r := range p.Recommends {
			out = append(out, fieldRel{"Recommends", r})
		}
	}
	return out
}

// install walks root's dependencies depth-first, as apt's MarkInstall does,
// with an explicit stack.
func (s *state) install(root *debian.Package) error {
	stack := []*frame{{pkg: root, rels: s.deps(root)}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		if f.next == len(f.rels) {
			stack = stack[:len(stack)-1]
			continue
		}
		fr := f.rels[f.next]
		f.next++
		if s.chosen[f.pkg.Name] != f.pkg {
			// f.pkg was dropped for a conflicting package meanwhile;
			// apt stops following its dependencies too.
			stack = stack[:len(stack)-1]
			continue
		}
		if s.chosenSatisfying(fr.rel) != nil {
			continue
		}
		sols := s.solutions(fr.rel)
		if len(sols) == 0 {
			if fr.field == "Recommends" {
				continue
			}
			if c := s.droppedFor(fr.rel); c != nil {
				return s.conflictError(c)
			}
			return s.unsatisfiable(f.pkg, fr)
		}
		pick := s.pick(sols)
		s.choose(pick, &Reason{From: f.pkg, Via: fr.rel, Field: fr.field})
		stack = append(stack, &frame{pkg: pick, rels: s.deps(pick)})
	}
	return nil
}

// pick chooses among the ordered solutions of a relation as apt does: the
// first one, unless it clashes with a requested package. Packages that
// were merely pulled in and clash with it are dropped (apt's MarkKeep in
// MarkInstall_RemoveConflictsIfNotUpgradeable); what they pulled in stays.
func (s *state) pick(sols []*debian.Package) *debian.Package {
	pick := sols[0]
	for _, p := range sols {
		if c := s.conflict(p); c == nil || !s.requestedNames[s.other(c, p).Name] {
			pick = p
			break
		}
	}
	for c := s.conflict(pick); c != nil; c = s.conflict(pick) {
		q := s.other(c, pick)
		if s.requestedNames[q.Name] {
			break // reported by checkConflicts
		}
		delete(s.chosen, q.Name)
		s.dropped[q.Name] = c
	}
	return pick
}

// other returns the side of clash c that is not p.
func (s *state) other(c *clash, p *debian.Package) *debian.Package {
	if c.from == p {
		return c.against
	}
	return c.from
}

// droppedFor returns the clash that dropped a package satisfying rel, if
// that is why rel has no solution left.
func (s *state) droppedFor(rel debian.Relation) *clash {
	for _, d := range rel {
		if c := s.dropped[d.Name]; c != nil {
			return c
		}
		for _, pr := range s.ix.Providers(d.Name) {
			if c := s.dropped[pr.Package.Name]; c != nil {
				return c
			}
		}
	}
	return nil
}

// repair re-installs the dependencies of chosen packages that a dropped
// package used to satisfy, in name order, until the set is closed. Each
// package is dropped at most once, so this ends.
func (s *state) repair() error {
	for range len(s.chosen) + 1 {
		var broken []*debian.Package
		for _, p := range s.chosen {
			for _, rel := range append(slices.Clip(p.PreDepends), p.Depends...) {
				if s.chosenSatisfying(rel) == nil {
					broken = append(broken, p)
					break
				}
			}
		}
		if len(broken) == 0 {
			return nil
		}
		slices.SortFunc(broken, func(a, b *debian.Package) int { return strings.Compare(a.Name, b.Name) })
		for _, p := range broken {
			if s.chosen[p.Name] != p {
				continue
			}
			if err := s.install(p); err != nil {
				return err
			}
		}
	}
	return nil
}
