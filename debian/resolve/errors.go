package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// UnknownPackageError is returned when a requested name is neither a real
// package nor a virtual package with exactly one provider.
type UnknownPackageError struct {
	Name        string
	Arch        string
	Suites      []string
	Suggestions []string // up to 5 closest real names, best first
	Providers   []string // set when Name is virtual with several providers
}

func (e *UnknownPackageError) Error() string {
	if len(e.Providers) > 0 {
		return fmt.Sprintf("package %q is virtual, provided by %s; request one of them", e.Name, strings.Join(e.Providers, ", "))
	}
	msg := fmt.Sprintf("unknown package %q: no %s or all package of that name in %s", e.Name, e.Arch, suiteList(e.Suites))
	if len(e.Suggestions) > 0 {
		return msg + "; did you mean " + strings.Join(e.Suggestions, ", ") + "?"
	}
	return msg + "; check the name and the configured suites and components"
}

// UnsatisfiableError is returned when no candidate satisfies a relation.
// Chain leads from a requested package to the package that declares the
// relation; it is empty when the request itself pins a missing version.
type UnsatisfiableError struct {
	Chain     []Step
	Field     string
	Relation  debian.Relation
	Suites    []string
	Available []string // "name version (suite)" of every version of the names involved
}

func (e *UnsatisfiableError) Error() string {
	var b strings.Builder
	for _, st := range e.Chain {
		b.WriteString(st.Package.Name + " -> ")
	}
	b.WriteString(e.Relation.String())
	fmt.Fprintf(&b, ": no version in %s satisfies it", suiteList(e.Suites))
	if len(e.Available) > 0 {
		b.WriteString("; available: " + strings.Join(e.Available, ", "))
	} else {
		b.WriteString("; no package of that name or providing it exists; check the suites and components")
	}
	return b.String()
}

// ConflictError is returned when two chosen packages conflict: Package
// declares Field (Conflicts or Breaks) Dep, which Other matches. The chains
// show what pulled each in.
type ConflictError struct {
	Package, Other    *debian.Package
	Field             string
	Dep               debian.Dep
	Chain, OtherChain []Step
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %s %s, and both are needed: %s; %s; request other versions or drop one of the packages",
		e.Package, e.Field, e.Dep, FormatChain(e.Chain), FormatChain(e.OtherChain))
}

func suiteList(s []string) string {
	if len(s) == 0 {
		return "the index"
	}
	return strings.Join(s, ", ")
}

// suites lists the suites the index's records came from, sorted.
func suites(ix *debian.Index) []string {
	set := map[string]bool{}
	for _, n := range ix.Names() {
		for _, p := range ix.Versions(n) {
			if p.Suite != "" {
				set[p.Suite] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// available describes every version of the names in rel and of their
// providers, so an error shows what could have been chosen.
func available(ix *debian.Index, rel debian.Relation) []string {
	var out []string
	seen := map[*debian.Package]bool{}
	add := func(p *debian.Package, extra string) {
		if seen[p] {
			return
		}
		seen[p] = true
		s := fmt.Sprintf("%s %s%s", p.Name, p.Version, extra)
		if p.Suite != "" {
			s += " (" + p.Suite + ")"
		}
		out = append(out, s)
	}
	for _, d := range rel {
		for _, p := range ix.Versions(d.Name) {
			add(p, "")
		}
		for _, pr := range ix.Providers(d.Name) {
			extra := " providing " + d.Name
			if pr.Op != "" {
				extra += fmt.Sprintf(" (%s %s)", pr.Op, pr.Version)
			}
			add(pr.Package, extra)
		}
	}
	const max = 10
	if len(out) > max {
		out = append(out[:max], fmt.Sprintf("and %d more", len(out)-max))
	}
	return out
}

// unsatisfiable builds the error for relation fr of p.
func (s *state) unsatisfiable(p *debian.Package, fr fieldRel) error {
	return &UnsatisfiableError{
		Chain:     s.chain(p),
		Field:     fr.field,
		Relation:  fr.rel,
		Suites:    suites(s.ix),
		Available: available(s.ix, fr.rel),
	}
}
