package resolve

import (
	"strings"
	"testing"
)

func TestWhy(t *testing.T) {
	ix := universe(t, `Package: python3
Version: 3.11
Depends: python3.11

Package: python3.11
Version: 3.11.2
Depends: libpython3.11-stdlib, mawk | awk

Package: libpython3.11-stdlib
Version: 3.11.2
Depends: libssl3 (>= 3.0.0)

Package: libssl3
Version: 3.0.15

Package: gawk
Version: 5
Provides: awk
`)
	r, err := Resolve(ix, Request{Packages: []string{"python3"}})
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	tests := []struct {
		desc, name, want string
		fields           []string
	}{
		{"requested package is its own chain", "python3", "python3", []string{""}},
		{"deep chain ends with the relation", "libssl3", "python3 -> python3.11 -> libpython3.11-stdlib -> libssl3 (>= 3.0.0)", []string{"", "Depends", "Depends", "Depends"}},
		{"virtual alternative names the provider", "gawk", "python3 -> python3.11 -> awk (provided by gawk)", []string{"", "Depends", "Depends"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			steps, err := r.Why(tc.name)
			if err != nil {
				t.Fatalf("Why: %v", err)
			}
			if got := FormatChain(steps); got != tc.want {
				t.Errorf("chain %q, want %q", got, tc.want)
			}
			var fields []string
			for _, st := range steps {
				fields = append(fields, st.Field)
			}
			if strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
			if steps[0].Via != nil {
				t.Errorf("first step has a relation: %v", steps[0].Via)
			}
		})
	}
	if _, err := r.Why("libssl1.1"); err == nil || !strings.Contains(err.Error(), "libssl1.1") {
		t.Errorf("Why of a package outside the set: %v", err)
	}
	if r.Reasons["python3"] != nil || r.Reasons["libssl3"].From.Name != "libpython3.11-stdlib" {
		t.Errorf("reasons: python3=%v libssl3=%v", r.Reasons["python3"], r.Reasons["libssl3"])
	}
}
