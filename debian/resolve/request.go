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
