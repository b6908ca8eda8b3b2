package resolve

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// Why returns the dependency chain that pulled name into the set: the first
// step is a requested package, the last is name.
func (r *Result) Why(name string) ([]Step, error) {
	p := r.Package(name)
	if p == nil {
		return nil, fmt.Errorf("explaining %s: it is not in the resolved set of %d packages; check the name with ingot resolve", name, len(r.Packages))
	}
	return chainOf(r.Reasons, p), nil
}

// FormatChain renders a chain as "python3 -> python3.11 -> libssl3 (>= 3.0.0)":
// package names, with the relation that pulled in the last package.
func FormatChain(steps []Step) string {
	parts := make([]string, len(steps))
	for i, st := range steps {
		parts[i] = st.Package.Name
		if i == len(steps)-1 && len(st.Via) > 0 {
			parts[i] = viaText(st)
		}
	}
	return strings.Join(parts, " -> ")
}

// viaText shows the alternative of the step's relation that its package
// satisfies, e.g. "libssl3 (>= 3.0.0)" or "awk (provided by mawk)".
func viaText(st Step) string {
	for _, d := range st.Via {
		if d.Name == st.Package.Name {
			return d.String()
		}
	}
	for _, d := range st.Via {
		if satisfiedByName(d, st.Package) {
			return fmt.Sprintf("%s (provided by %s)", d.String(), st.Package.Name)
		}
	}
	return st.Package.Name
}

func satisfiedByName(d debian.Dep, p *debian.Package) bool {
	for _, rel := range p.Provides {
		for _, pd := range rel {
			if pd.Name == d.Name {
				return true
			}
		}
	}
	return false
}
