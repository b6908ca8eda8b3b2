package debian

import (
	"slices"
	"strings"
)

// Index is the in-memory universe of binary packages available for one
// target architecture: every version from every suite of a source. The
// repository client fills it; the resolver reads it.
type Index struct {
	Arch       string
	suiteRank  map[string]int
	byName     map[string][]*Package
	providedBy map[string][]Provider
	sorted     bool
}

// Provider is a package that provides a virtual name, optionally at a version
// (versioned Provides: "Provides: foo (= 1.2)").
type Provider struct {
	Package *Package
	Op      string // "" or "="
	Version Version
}

// NewIndex returns an empty index for arch. suites gives the tie-break order
// when two suites carry the very same version: the earlier suite wins.
func NewIndex(arch string, suites ...string) *Index {
	rank := make(map[string]int, len(suites))
	for i, s := range suites {
		rank[s] = i
	}
	return &Index{Arch: arch, suiteRank: rank, byName: map[string][]*Package{}, providedBy: map[string][]Provider{}}
}

// Add records a package. Packages of other architectures than the index's
// (or "all") are ignored.
func (ix *Index) Add(p *Package) {
	if p.Architecture != ix.Arch && p.Architecture != "all" {
		return
	}
	ix.byName[p.Name] = append(ix.byName[p.Name], p)
	for _, rel := range p.Provides {
		for _, d := range rel {
			ix.providedBy[d.Name] = append(ix.providedBy[d.Name], Provider{Package: p, Op: d.Op, Version: d.Version})
		}
	}
	ix.sorted = false
}

// Len is the number of package records.
func (ix *Index) Len() int {
	n := 0
	for _, ps := range ix.byName {
		n += len(ps)
	}
	return n
}

// Names returns every real package name, sorted.
func (ix *Index) Names() []string {
	names := make([]string, 0, len(ix.byName))
	for n := range ix.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Versions returns every record of a real package, best candidate first:
// highest version, then earlier suite, then pool filename (deterministic).
func (ix *Index) Versions(name string) []*Package {
	ix.sort()
	return ix.byName[name]
}

// Candidate returns the best version of name, or nil if there is none.
func (ix *Index) Candidate(name string) *Package {
	if vs := ix.Versions(name); len(vs) > 0 {
		return vs[0]
	}
	return nil
}

// Providers returns the packages that provide the virtual name, in the same
// best-first order as Versions.
func (ix *Index) Providers(name string) []Provider {
	ix.sort()
	return ix.providedBy[name]
}

func (ix *Index) less(a, b *Package) int {
	if c := b.Version.Compare(a.Version); c != 0 {
		return c
	}
	ra, oka := ix.suiteRank[a.Suite]
	rb, okb := ix.suiteRank[b.Suite]
	switch {
	case oka && okb && ra != rb:
		return ra - rb
	case oka != okb:
		if oka {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.Suite, b.Suite); c != 0 {
		return c
	}
	if c := strings.Compare(a.Architecture, b.Architecture); c != 0 {
		return c
	}
	return strings.Compare(a.Filename, b.Filename)
}

func (ix *Index) sort() {
	if ix.sorted {
		return
	}
	for _, ps := range ix.byName {
		slices.SortStableFunc(ps, ix.less)
	}
	for name, ps := range ix.providedBy {
		slices.SortStableFunc(ps, func(a, b Provider) int {
			if c := strings.Compare(a.Package.Name, b.Package.Name); c != 0 {
				return c
			}
			return ix.less(a.Package, b.Package)
		})
		ix.providedBy[name] = ps
	}
	ix.sorted = true
}
