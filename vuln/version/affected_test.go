package version

import (
	"errors"
	"testing"
)

func ev(kind, v string) Event {
	switch kind {
	case "i":
		return Event{Introduced: v}
	case "f":
		return Event{Fixed: v}
	case "l":
		return Event{LastAffected: v}
	}
	return Event{Limit: v}
}

func TestAffected(t *testing.T) {
	tests := []struct {
		desc      string
		scheme    Scheme
		events    []Event
		v         string
		want      bool
		wantFixed string
	}{
		// The OSV schema's examples.
		{"osv: introduced 0 fixed, below fix", Semver, []Event{ev("i", "0"), ev("f", "1.0.0")}, "0.9.0", true, "1.0.0"},
		{"osv: introduced 0 fixed, at fix", Semver, []Event{ev("i", "0"), ev("f", "1.0.0")}, "1.0.0", false, ""},
		{"osv: two spans, between them", Semver, []Event{ev("i", "1.0.0"), ev("f", "1.0.2"), ev("i", "1.1.0"), ev("f", "1.1.2")}, "1.0.5", false, ""},
		{"osv: two spans, in the second", Semver, []Event{ev("i", "1.0.0"), ev("f", "1.0.2"), ev("i", "1.1.0"), ev("f", "1.1.2")}, "1.1.1", true, "1.1.2"},
		{"osv: two spans, below the first", Semver, []Event{ev("i", "1.0.0"), ev("f", "1.0.2"), ev("i", "1.1.0"), ev("f", "1.1.2")}, "0.9.0", false, ""},
		{"osv: events in any order", Semver, []Event{ev("f", "1.1.2"), ev("i", "1.1.0"), ev("f", "1.0.2"), ev("i", "1.0.0")}, "1.0.1", true, "1.0.2"},
		{"osv: last_affected includes itself", Semver, []Event{ev("i", "0"), ev("l", "2.3.0")}, "2.3.0", true, ""},
		{"osv: above last_affected", Semver, []Event{ev("i", "0"), ev("l", "2.3.0")}, "2.3.1", false, ""},
		{"osv: open range", Semver, []Event{ev("i", "2.0.0")}, "99.0.0", true, ""},
		{"osv: below introduced", Semver, []Event{ev("i", "2.0.0")}, "1.9.9", false, ""},
		{"osv: limit excludes", Semver, []Event{ev("i", "0"), ev("lim", "2.0.0")}, "2.0.0", false, ""},
		{"osv: below limit", Semver, []Event{ev("i", "0"), ev("lim", "2.0.0")}, "1.5.0", true, ""},
		{"osv: limit *", Semver, []Event{ev("i", "0"), ev("lim", "*")}, "1.5.0", true, ""},
		{"osv: introduced equals fixed is empty", Semver, []Event{ev("f", "1.0.0"), ev("i", "1.0.0")}, "1.0.0", false, ""},
		{"go: stdlib prerelease span", Semver, []Event{ev("i", "0"), ev("f", "1.20.10"), ev("i", "1.21.0-0"), ev("f", "1.21.3")}, "1.21.0-rc.2", true, "1.21.3"},
		{"go: stdlib between spans", Semver, []Event{ev("i", "0"), ev("f", "1.20.10"), ev("i", "1.21.0-0"), ev("f", "1.21.3")}, "1.20.12", false, ""},
		{"go: pseudo-version before fix", Semver, []Event{ev("i", "0"), ev("f", "0.17.0")}, "0.0.0-20230101000000-abcdefabcdef", true, "0.17.0"},
		{"go: +incompatible", Semver, []Event{ev("i", "2.0.0"), ev("f", "2.5.0")}, "2.1.0+incompatible", true, "2.5.0"},
		{"npm: prerelease of the fix is affected", Semver, []Event{ev("i", "0"), ev("f", "4.17.21")}, "4.17.21-beta.1", true, "4.17.21"},
		{"debian: security update fixes", Dpkg, []Event{ev("i", "0"), ev("f", "3.0.15-1~deb12u1")}, "3.0.11-1~deb12u2", true, "3.0.15-1~deb12u1"},
		{"debian: at the fix", Dpkg, []Event{ev("i", "0"), ev("f", "3.0.15-1~deb12u1")}, "3.0.15-1~deb12u1", false, ""},
		{"debian: epoch", Dpkg, []Event{ev("i", "0"), ev("f", "1:2.0-1")}, "3.0-1", true, "1:2.0-1"},
		{"debian: +deb12u1 fixes", Dpkg, []Event{ev("i", "0"), ev("f", "2.36-9+deb12u1")}, "2.36-9", true, "2.36-9+deb12u1"},
		{"pypi: rc before the fix", PEP440, []Event{ev("i", "0"), ev("f", "2.0")}, "2.0rc1", true, "2.0"},
		{"pypi: post release fixed", PEP440, []Event{ev("i", "1.0"), ev("f", "1.0.post1")}, "1.0.post2", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			v, err := tt.scheme.Parse(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			got, fixed, err := Affected(tt.scheme, v, tt.events)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || fixed != tt.wantFixed {
				t.Errorf("Affected(%q) = %v, %q; want %v, %q", tt.v, got, fixed, tt.want, tt.wantFixed)
			}
			r, err := ParseRange(tt.scheme, tt.events)
			if err != nil {
				t.Fatal(err)
			}
			if got, fixed := r.Affected(v); got != tt.want || fixed != tt.wantFixed {
				t.Errorf("Range.Affected(%q) = %v, %q; want %v, %q", tt.v, got, fixed, tt.want, tt.wantFixed)
			}
		})
	}
}

func TestAffectedBadEvents(t *testing.T) {
	v, _ := Semver.Parse("1.0.0")
	for _, tt := range []struct {
		desc   string
		events []Event
	}{
		{"two fields in one event", []Event{{Introduced: "0", Fixed: "1.0.0"}}},
		{"empty event", []Event{{}}},
		{"unparsable version", []Event{ev("i", "0"), ev("f", "not-a-version!")}},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			if _, _, err := Affected(Semver, v, tt.events); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func FuzzAffected(f *testing.F) {
	f.Add("1.0.0", "0", "1.2.0", "", "1.1.0")
	f.Add("2.0.0", "1.0.0", "", "1.5.0", "1.5.0")
	f.Fuzz(func(t *testing.T, intro, fixed, last, limit, v string) {
		var events []Event
		for _, e := range []Event{{Introduced: intro}, {Fixed: fixed}, {LastAffected: last}, {Limit: limit}} {
			if countNonEmpty(e) == 1 {
				events = append(events, e)
			}
		}
		pv, err := Semver.Parse(v)
		if err != nil {
			return
		}
		got, fix, err := Affected(Semver, pv, events)
		if err != nil {
			return
		}
		if !got && fix != "" {
			t.Fatalf("unaffected with a fix %q", fix)
		}
		if fix != "" {
			fv, err := Semver.Parse(fix)
			if err != nil || fv.Compare(pv) <= 0 {
				t.Fatalf("fixed %q is not above %q", fix, v)
			}
		}
	})
}

func countNonEmpty(e Event) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}
