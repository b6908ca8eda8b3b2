package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// Result is a resolved, closed, conflict-free set.
type Result struct {
	Arch string
	// Packages holds one package per name, sorted by name.
	Packages []*debian.Package
	// Requested lists the requested package names in request order
	// (virtual names replaced by their provider).
	Requested []string
	// Reasons says, for every chosen package that was not requested,
	// which package and relation pulled it in. A chain may pass through a
	// Dropped package.
	Reasons map[string]*Reason
	// Dropped names packages that were chosen for an alternative and then
	// dropped for a later, conflicting choice (apt does the same: say
	// "a | b" picked a, then a dependency on b that conflicts with a
	// replaced it). What they pulled in stays in the set, as with apt.
	Dropped []string
}

// Reason is why a package is in the set.
type Reason struct {
	From  *debian.Package
	Via   debian.Relation
	Field string // "Pre-Depends", "Depends" or "Recommends"
}

// Step is one link of a dependency chain: Package was pulled in by the
// previous step's package through relation Via of its Field. The first step
// of a chain is a requested package and has no Via.
type Step struct {
	Package *debian.Package
	Via     debian.Relation
	Field   string
}

// Package returns the chosen package called name, or nil.
func (r *Result) Package(name string) *debian.Package {
	i, ok := slices.BinarySearchFunc(r.Packages, name, func(p *debian.Package, n string) int {
		return strings.Compare(p.Name, n)
	})
	if !ok {
		return nil
	}
	return r.Packages[i]
}

type fieldRel struct {
	field string
	rel   debian.Relation
}

type frame struct {
	pkg  *debian.Package
	rels []fieldRel
	next int
}

type state struct {
	ix      *debian.Index
	req     Request
	arch    string
	pinned  map[string]*debian.Package
	chosen  map[string]*debian.Package
	reasons map[string]*Reason
	// negatives maps a name to the Conflicts/Breaks of chosen packages
	// that target it, so a new package can be checked quickly.
	negatives map[string][]negative
	// requestedNames are never dropped; dropped records why others were.
	requestedNames map[string]bool
	dropped        map[string]*clash
}

type negative struct {
	from  *debian.Package
	field string
	dep   debian.Dep
}

// cand is the version of name that may be installed: the pinned one, else
// the index's candidate.
func (s *state) cand(name string) *debian.Package {
	if p, ok := s.pinned[name]; ok {
		return p
	}
	return s.ix.Candidate(name)
}

// Resolve chooses the packages that installing req needs from ix.
func Resolve(ix *debian.Index, req Request) (*Result, error) {
	arch := req.Arch
	if arch == "" {
		arch = ix.Arch
	}
	if arch != ix.Arch {
		return nil, fmt.Errorf("resolving for %s: the index holds %s packages; build an index for %s", arch, ix.Arch, arch)
	}
	s := &state{
		ix: ix, req: req, arch: arch,
		pinned:         map[string]*debian.Package{},
		chosen:         map[string]*debian.Package{},
		reasons:        map[string]*Reason{},
		negatives:      map[string][]negative{},
		requestedNames: map[string]bool{},
		dropped:        map[string]*clash{},
	}
	roots, err := s.requested()
	if err != nil {
		return nil, err
	}
	for _, p := range roots {
		s.choose(p, nil)
		s.requestedNames[p.Name] = true
	}
	for _, p := range roots {
		if err := s.install(p); err != nil {
			return nil, err
		}
	}
	if err := s.repair(); err != nil {
		return nil, err
	}
	if err := s.checkConflicts(); err != nil {
		return nil, err
	}
	res := &Result{Arch: arch, Reasons: s.reasons}
	for name := range s.dropped {
		if s.chosen[name] == nil {
			res.Dropped = append(res.Dropped, name)
		}
	}
	slices.Sort(res.Dropped)
	for _, p := range roots {
		res.Requested = append(res.Requested, p.Name)
	}
	for _, p := range s.chosen {
		res.Packages = append(res.Packages, p)
	}
	slices.SortFunc(res.Packages, func(a, b *debian.Package) int { return strings.Compare(a.Name, b.Name) })
	return res, nil
}
