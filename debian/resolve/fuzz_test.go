package resolve

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

// byteSource hands out fuzz bytes, zero once they run out.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) n(mod int) int {
	if s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i])
	s.i++
	return v % mod
}

// randomUniverse turns fuzz bytes into a small control text with
// alternatives, versioned and virtual dependencies, qualifiers, Provides,
// Conflicts and Breaks, and a request over it.
func randomUniverse(data []byte) (string, []string) {
	s := &byteSource{b: data}
	names := []string{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"}
	targets := append(names, "v0", "v1", "v2", "gone")
	ops := []string{"", "", ">=", "<<", "=", "<=", ">>"}
	qual := []string{"", "", "", ":any", ":native", ":amd64", ":arm64"}
	ma := []string{"", "same", "foreign", "allowed"}
	dep := func() string {
		d := targets[s.n(len(targets))] + qual[s.n(len(qual))]
		if op := ops[s.n(len(ops))]; op != "" {
			d += fmt.Sprintf(" (%s %d)", op, s.n(4))
		}
		return d
	}
	rels := func(max int) string {
		var out []string
		for range s.n(max + 1) {
			var alts []string
			for range s.n(3) + 1 {
				alts = append(alts, dep())
			}
			out = append(out, strings.Join(alts, " | "))
		}
		return strings.Join(out, ", ")
	}
	var b strings.Builder
	for _, name := range names {
		for range s.n(3) {
			fmt.Fprintf(&b, "Package: %s\nVersion: %d\nArchitecture: %s\n", name, s.n(4), []string{"amd64", "all"}[s.n(2)])
			if m := ma[s.n(len(ma))]; m != "" {
				fmt.Fprintf(&b, "Multi-Arch: %s\n", m)
			}
			fmt.Fprintf(&b, "Priority: %s\n", []string{"required", "important", "optional"}[s.n(3)])
			if s.n(4) == 0 {
				b.WriteString("Essential: yes\n")
			}
			for _, f := range []struct {
				field string
				max   int
			}{{"Depends", 3}, {"Pre-Depends", 1}, {"Recommends", 1}, {"Conflicts", 1}, {"Breaks", 1}} {
				if r := rels(f.max); r != "" {
					if f.field == "Conflicts" || f.field == "Breaks" {
						r = strings.ReplaceAll(r, " | ", ", ")
					}
					fmt.Fprintf(&b, "%s: %s\n", f.field, r)
				}
			}
			if s.n(2) == 0 {
				v := []string{"v0", "v1", "v2"}[s.n(3)]
				if s.n(2) == 0 {
					v += fmt.Sprintf(" (= %d)", s.n(4))
				}
				fmt.Fprintf(&b, "Provides: %s\n", v)
			}
			b.WriteString("\n")
		}
	}
	var req []string
	for range s.n(3) + 1 {
		r := targets[s.n(len(targets))]
		if s.n(4) == 0 {
			r += fmt.Sprintf("=%d", s.n(4))
		}
		req = append(req, r)
	}
	return b.String(), req
}

func FuzzResolve(f *testing.F) {
	for _, seed := range []string{
		"", "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a",
		strings.Repeat("\x05\x01", 80), strings.Repeat("\xff\x00\x7f", 100),
		"\x02\x00\x00\x01\x00\x00\x00\x01\x02\x00\x03\x01\x00\x01\x01\x00\x02\x00\x00\x00",
	} {
		f.Add([]byte(seed), false, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, recommends, essential bool) {
		text, req := randomUniverse(data)
		ix := universe(t, text)
		r, err := Resolve(ix, Request{Packages: req, WithRecommends: recommends, WithEssential: essential})
		if err != nil {
			var unknown *UnknownPackageError
			var unsat *UnsatisfiableError
			var conflict *ConflictError
			if !errors.As(err, &unknown) && !errors.As(err, &unsat) && !errors.As(err, &conflict) && !strings.Contains(err.Error(), "reading request") {
				t.Fatalf("untyped error: %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		checkClosed(t, ix, r)
		// Determinism: the same request on a fresh index gives the same set.
		r2, err := Resolve(universe(t, text), Request{Packages: req, WithRecommends: recommends, WithEssential: essential})
		if err != nil || names(r2) != names(r) {
			t.Fatalf("second resolve differs: %v\n%s\n%s", err, names(r), names(r2))
		}
	})
}

// checkClosed asserts the invariants of a result: one package per name,
// every Pre-Depends and Depends satisfied inside the set, no Conflicts or
// Breaks between members, every member explained by a chain that starts
// at a requested package.
func checkClosed(t *testing.T, ix *debian.Index, r *Result) {
	t.Helper()
	s := &state{ix: ix, arch: r.Arch, chosen: map[string]*debian.Package{}}
	for _, p := range r.Packages {
		if s.chosen[p.Name] != nil {
			t.Fatalf("%s chosen twice", p.Name)
		}
		s.chosen[p.Name] = p
	}
	for _, name := range r.Dropped {
		if r.Package(name) != nil {
			t.Fatalf("dropped %s is still in the set", name)
		}
	}
	for _, p := range r.Packages {
		for _, rel := range append(append([]debian.Relation{}, p.PreDepends...), p.Depends...) {
			if s.chosenSatisfying(rel) == nil {
				t.Fatalf("%s: %s is not satisfied in %s", p, rel, names(r))
			}
		}
		if c := s.clashFrom(p); c != nil {
			t.Fatalf("%s %s %s matches %s in %s", c.from, c.field, c.dep, c.against, names(r))
		}
		steps, err := r.Why(p.Name)
		if err != nil || len(steps) == 0 || steps[len(steps)-1].Package != p {
			t.Fatalf("Why(%s) = %v, %v", p.Name, steps, err)
		}
		root := steps[0].Package.Name
		found := false
		for _, q := range r.Requested {
			found = found || q == root
		}
		if !found {
			t.Fatalf("Why(%s) starts at %s, which was not requested (%v)", p.Name, root, r.Requested)
		}
	}
}
