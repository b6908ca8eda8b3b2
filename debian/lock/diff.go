package lock

import (
	"cmp"
	"fmt"
	"slices"
)

// Change kinds.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one difference between two locks for one package.
type Change struct {
	Kind string   `json:"kind"` // Added, Removed or Changed
	Arch string   `json:"arch"` // the lock architecture the package is in
	Old  *Package `json:"old,omitempty"`
	New  *Package `json:"new,omitempty"`
}

// Name is the package's name.
func (c Change) Name() string {
	if c.New != nil {
		return c.New.Name
	}
	return c.Old.Name
}

// String reads "libssl3 (amd64): 3.0.15-1~deb12u1 -> 3.0.17-1~deb12u2",
// "curl (amd64): added 7.88.1-10+deb12u12" or "curl (amd64): removed 7.88.1-10+deb12u12".
func (c Change) String() string {
	switch c.Kind {
	case Added:
		return fmt.Sprintf("%s (%s): added %s", c.New.Name, c.Arch, c.New.Version)
	case Removed:
		return fmt.Sprintf("%s (%s): removed %s", c.Old.Name, c.Arch, c.Old.Version)
	}
	s := fmt.Sprintf("%s (%s): %s -> %s", c.New.Name, c.Arch, c.Old.Version, c.New.Version)
	if c.Old.Version == c.New.Version {
		// Same version, different file: say what moved.
		switch {
		case c.Old.Suite != c.New.Suite:
			s += fmt.Sprintf(" (suite %s -> %s)", c.Old.Suite, c.New.Suite)
		default:
			s += " (rebuilt: different file)"
		}
	}
	return s
}

// Diff lists what changes from old to new: per architecture, packages added,
// removed or changed (any pinned field differs), sorted by architecture, then
// package name and architecture. Either lock may be nil (empty).
func Diff(old, new *Lock) []Change {
	var changes []Change
	archs := map[string]bool{}
	for _, l := range []*Lock{old, new} {
		if l != nil {
			for _, a := range l.Architectures {
				archs[a.Name] = true
			}
		}
	}
	for _, arch := range sortedKeys(archs) {
		before, after := index(old, arch), index(new, arch)
		for k, o := range before {
			n, ok := after[k]
			switch {
			case !ok:
				changes = append(changes, Change{Kind: Removed, Arch: arch, Old: &o})
			case o != n:
				changes = append(changes, Change{Kind: Changed, Arch: arch, Old: &o, New: &n})
			}
		}
		for k, n := range after {
			if _, ok := before[k]; !ok {
				changes = append(changes, Change{Kind: Added, Arch: arch, New: &n})
			}
		}
	}
	slices.SortFunc(changes, func(a, b Change) int {
		pa, pb := a.New, b.New
		if pa == nil {
			pa = a.Old
		}
		if pb == nil {
			pb = b.Old
		}
		return cmp.Or(cmp.Compare(a.Arch, b.Arch), comparePackages(*pa, *pb))
	})
	return changes
}

type pkgKey struct{ name, arch string }

func index(l *Lock, arch string) map[pkgKey]Package {
	m := map[pkgKey]Package{}
	if l == nil {
		return m
	}
	for _, p := range l.Arch(arch) {
		m[pkgKey{p.Name, p.Architecture}] = p
	}
	return m
}
