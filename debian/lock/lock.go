package lock

import (
	"cmp"
	"slices"
)

// FormatVersion is the lockVersion this package reads and writes.
const FormatVersion = 1

// Lock is the content of an ingot.lock file.
type Lock struct {
	// SourceDateEpoch is the newest Date (Unix seconds) of the suites'
	// Release files at lock time.
	SourceDateEpoch int64 `json:"sourceDateEpoch"`
	// Inputs is InputsDigest(Request).
	Inputs  string  `json:"inputs"`
	Request Request `json:"request"`
	// Architectures holds one entry per requested architecture, sorted by name.
	Architectures []Arch `json:"architectures"`
}

// Request is what a lock is generated from: everything but the archive's
// contents that decides which packages are chosen.
type Request struct {
	Packages      []string `json:"packages"`
	Architectures []string `json:"architectures"`
	Suites        []string `json:"suites"`
	Components    []string `json:"components"`
	Recommends    bool     `json:"recommends"`
	Essential     bool     `json:"essential"`
}

// Arch is the resolved set of one architecture.
type Arch struct {
	Name     string    `json:"name"`
	Packages []Package `json:"packages"`
}

// Package is one pinned binary package.
type Package struct {
	Name          string `json:"name"`
	Version       string `json:"version"`
	Architecture  string `json:"architecture"`
	Source        string `json:"source"`
	SourceVersion string `json:"sourceVersion"`
	Suite         string `json:"suite"`
	Filename      string `json:"filename"`
	Size          int64  `json:"size"`
	SHA256        string `json:"sha256"`
}

// Arch returns the packages locked for arch, or nil.
func (l *Lock) Arch(arch string) []Package {
	for _, a := range l.Architectures {
		if a.Name == arch {
			return a.Packages
		}
	}
	return nil
}

// Stale reports whether the lock was generated from a different request.
func (l *Lock) Stale(req Request) bool { return l.Inputs != InputsDigest(req) }

// comparePackages orders packages by name, then architecture.
func comparePackages(a, b Package) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Architecture, b.Architecture))
}

// Sorted returns a copy of l in file order: architectures, packages, and the
// request's package names, architectures and components sorted (suites keep
// their order).
func (l *Lock) Sorted() *Lock {
	out := *l
	out.Request.Packages = sortedSet(l.Request.Packages)
	out.Request.Architectures = sortedSet(l.Request.Architectures)
	out.Request.Components = sortedSet(l.Request.Components)
	out.Request.Suites = slices.Clone(nonNil(l.Request.Suites))
	out.Architectures = make([]Arch, len(l.Architectures))
	for i, a := range l.Architectures {
		pkgs := slices.Clone(a.Packages)
		if pkgs == nil {
			pkgs = []Package{}
		}
		slices.SortStableFunc(pkgs, comparePackages)
		out.Architectures[i] = Arch{Name: a.Name, Packages: pkgs}
	}
	slices.SortFunc(out.Architectures, func(a, b Arch) int { return cmp.Compare(a.Name, b.Name) })
	return &out
}
