package build

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// assign decides which spec layer each package goes into. requests[i] are the
// package requests of layer i ("name", "name=version", "name:arch"); pkgs is
// the locked set of one architecture, as read from the .debs. It returns, per
// package name, the index of its layer.
//
// A package requested by layer i goes to layer i (the first layer that
// requests it). Every other package goes to the lowest layer whose requested
// packages pull it in through Depends and Pre-Depends, each relation resolved
// within the set: the first alternative satisfied by a package of the set,
// by name or through Provides. A package that no relation reaches that way
// (the resolver took a later alternative that an earlier one shadows here)
// goes to the lowest layer that reaches it through any satisfied alternative;
// what is still left (the Essential set, when the lock asked for it) goes to
// the first layer.
func assign(requests [][]string, pkgs []*debian.Package) (map[string]int, error) {
	set := newPkgSet(pkgs)
	layerOf := make(map[string]int, len(pkgs))
	for i, reqs := range requests {
		for _, r := range reqs {
			name := requestName(r)
			p := set.byName[name]
			if p == nil {
				// A virtual name requested: its single provider in the set.
				if provs := set.providers(debian.Dep{Name: name}); len(provs) > 0 {
					p = provs[0]
				}
			}
			if p == nil {
				return nil, fmt.Errorf("layer %d requests %s, which is not in the lock: regenerate the lock (ingot lock --update)", i+1, name)
			}
			if _, ok := layerOf[p.Name]; !ok {
				layerOf[p.Name] = i
			}
		}
	}
	for _, allAlternatives := range []bool{false, true} {
		for i, reqs := range requests {
			for _, name := range set.closure(reqs, allAlternatives) {
				if _, ok := layerOf[name]; !ok {
					layerOf[name] = i
				}
			}
		}
	}
	for _, p := range pkgs {
		if _, ok := layerOf[p.Name]; !ok {
			layerOf[p.Name] = 0
		}
	}
	return layerOf, nil
}

// requestName strips a request's version pin and architecture qualifier.
func requestName(r string) string {
	name, _, _ := strings.Cut(r, "=")
	name, _, _ = strings.Cut(name, ":")
	return strings.TrimSpace(name)
}

// pkgSet is the locked packages of one architecture, looked up by name and
// by what they provide.
type pkgSet struct {
	byName   map[string]*debian.Package
	provides map[string][]provided // virtual name -> providers, in set order
	order    []*debian.Package
}

type provided struct {
	pkg *debian.Package
	dep debian.Dep // the Provides entry, possibly versioned
}

func newPkgSet(pkgs []*debian.Package) *pkgSet {
	s := &pkgSet{byName: map[string]*debian.Package{}, provides: map[string][]provided{}, order: pkgs}
	for _, p := range pkgs {
		s.byName[p.Name] = p
		for _, rel := range p.Provides {
			for _, d := range rel {
				s.provides[d.Name] = append(s.provides[d.Name], provided{p, d})
			}
		}
	}
	return s
}

// providers returns the packages of the set that satisfy d: the package
// named d.Name first, then those that provide it (a versioned dependency
// needs a versioned Provides, as dpkg requires).
func (s *pkgSet) providers(d debian.Dep) []*debian.Package {
	var out []*debian.Package
	if p := s.byName[d.Name]; p != nil && d.Satisfies(p.Version) {
		out = append(out, p)
	}
	for _, pr := range s.provides[d.Name] {
		switch {
		case !d.HasVersion():
			out = append(out, pr.pkg)
		case pr.dep.Op == "=" && d.Satisfies(pr.dep.Version):
			out = append(out, pr.pkg)
		}
	}
	return out
}

// closure returns the names of the packages reqs pull in, reqs included,
// in the order they are reached. With allAlternatives, every alternative
// satisfied in the set is followed, not only the first.
func (s *pkgSet) closure(reqs []string, allAlternatives bool) []string {
	seen := map[string]bool{}
	var out, queue []string
	visit := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
			queue = append(queue, name)
		}
	}
	for _, r := range reqs {
		name := requestName(r)
		if s.byName[name] != nil {
			visit(name)
		} else if provs := s.providers(debian.Dep{Name: name}); len(provs) > 0 {
			visit(provs[0].Name)
		}
	}
	for len(queue) > 0 {
		p := s.byName[queue[0]]
		queue = queue[1:]
		for _, field := range [][]debian.Relation{p.PreDepends, p.Depends} {
			for _, rel := range field {
				for _, alt := range rel {
					provs := s.providers(alt)
					for _, q := range provs {
						visit(q.Name)
						if !allAlternatives {
							break
						}
					}
					if len(provs) > 0 && !allAlternatives {
						break
					}
				}
			}
		}
	}
	return out
}
