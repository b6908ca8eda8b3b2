package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// Request is what to install.
type Request struct {
	// Packages are "name", "name=version", "name:arch" or
	// "name:arch=version"; duplicates are folded.
	Packages []string
	// Arch is the target architecture; empty means the index's.
	Arch string
	// WithRecommends also installs Recommends (default: never, as
	// apt-get --no-install-recommends).
	WithRecommends bool
	// WithEssential adds every Essential: yes package and its dependencies
	// (default: only what the request needs, as mmdebstrap's extract variant).
	WithEssential bool
}

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

// requested turns the request into packages, pinning versions.
func (s *state) requested() ([]*debian.Package, error) {
	var roots []*debian.Package
	seen := map[string]bool{}
	add := func(p *debian.Package) {
		if !seen[p.Name] {
			seen[p.Name] = true
			roots = append(roots, p)
		}
	}
	for _, spec := range s.req.Packages {
		p, err := s.lookup(strings.TrimSpace(spec))
		if err != nil {
			return nil, err
		}
		add(p)
	}
	if s.req.WithEssential {
		for _, name := range s.ix.Names() {
			if p := s.cand(name); p != nil && p.Essential {
				add(p)
			}
		}
	}
	return roots, nil
}

func (s *state) lookup(spec string) (*debian.Package, error) {
	nameArch, ver, pinned := strings.Cut(spec, "=")
	name, arch, _ := strings.Cut(nameArch, ":")
	if name == "" {
		return nil, fmt.Errorf("reading request %q: empty package name; write name, name=version or name:arch", spec)
	}
	if arch != "" && arch != "any" && arch != "native" && arch != "all" && arch != s.arch {
		return nil, fmt.Errorf("reading request %q: architecture %s is not the target %s; resolve for %s separately", spec, arch, s.arch, arch)
	}
	versions := s.ix.Versions(name)
	if len(versions) == 0 {
		return s.virtual(name, spec)
	}
	if !pinned {
		if prev, ok := s.pinned[name]; ok {
			return prev, nil
		}
		return versions[0], nil
	}
	want, err := debian.ParseVersion(ver)
	if err != nil {
		return nil, fmt.Errorf("reading request %q: %w", spec, err)
	}
	for _, p := range versions {
		if p.Version.Compare(want) == 0 {
			if prev, ok := s.pinned[name]; ok && prev != p {
				return nil, fmt.Errorf("reading request: %s is pinned to both %s and %s; request one version", name, prev.Version, p.Version)
			}
			s.pinned[name] = p
			return p, nil
		}
	}
	return nil, &UnsatisfiableError{
		Relation:  debian.Relation{{Name: name, Op: "=", Version: want}},
		Suites:    suites(s.ix),
		Available: available(s.ix, debian.Relation{{Name: name}}),
	}
}

// virtual resolves a request for a name no real package has: apt installs
// the provider when there is exactly one, and refuses otherwise.
func (s *state) virtual(name, spec string) (*debian.Package, error) {
	var provs []*debian.Package
	for _, pr := range s.ix.Providers(name) {
		if p := pr.Package; s.cand(p.Name) == p && !slices.Contains(provs, p) {
			provs = append(provs, p)
		}
	}
	if len(provs) == 1 {
		return provs[0], nil
	}
	e := &UnknownPackageError{Name: spec, Arch: s.arch, Suites: suites(s.ix)}
	for _, p := range provs {
		e.Providers = append(e.Providers, p.Name)
	}
	if len(provs) == 0 {
		e.Suggestions = closest(s.ix.Names(), name, 5)
	}
	return nil, e
}
