package debian

import (
	"testing"
)

func TestParseRelations(t *testing.T) {
	tests := []struct {
		desc, in string
		want     string // String() of the parsed relations joined by ", "
	}{
		{"plain", "libc6", "libc6"},
		{"versioned", "libc6 (>= 2.34)", "libc6 (>= 2.34)"},
		{"alternatives", "default-mta | mail-transport-agent", "default-mta | mail-transport-agent"},
		{"arch qualifier", "python3:any (>= 3.11~)", "python3:any (>= 3.11~)"},
		{"no space before paren", "a(<<1)", "a (<< 1)"},
		{"obsolete less", "a (< 1)", "a (<= 1)"},
		{"arch list", "libc6 [amd64 !i386]", "libc6 [amd64 !i386]"},
		{"profiles dropped from String", "debhelper <!nocheck>", "debhelper"},
		{"trailing comma", "a, b,", "a, b"},
		{"folded", "a,\n b (= 1:2-3)", "a, b (= 1:2-3)"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			rels, err := ParseRelations(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for i, r := range rels {
				if i > 0 {
					got += ", "
				}
				got += r.String()
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseRelationsErrors(t *testing.T) {
	for _, in := range []string{"a (>= )", "a (1.0)", "a (>= 1", "a [amd64", "(>= 1)", "a b", "a | | b"} {
		if _, err := ParseRelations(in); err == nil {
			t.Errorf("ParseRelations(%q) succeeded, want an error", in)
		}
	}
}

func TestDepSatisfiesAndAppliesTo(t *testing.T) {
	d := Dep{Name: "libssl3", Op: ">=", Version: MustParseVersion("3.0.9")}
	if !d.Satisfies(MustParseVersion("3.0.15-1~deb12u1")) || d.Satisfies(MustParseVersion("3.0.9~rc1")) {
		t.Error("Satisfies wrong for >=")
	}
	for _, tt := range []struct {
		arches []string
		arch   string
		want   bool
	}{
		{nil, "arm64", true},
		{[]string{"amd64"}, "amd64", true},
		{[]string{"amd64"}, "arm64", false},
		{[]string{"!i386"}, "amd64", true},
		{[]string{"!i386"}, "i386", false},
	} {
		if got := (Dep{Arches: tt.arches}).AppliesTo(tt.arch); got != tt.want {
			t.Errorf("AppliesTo(%v, %s) = %v", tt.arches, tt.arch, got)
		}
	}
}

func FuzzParseRelations(f *testing.F) {
	for _, s := range []string{"a (>= 1) | b:any [amd64] <!nocheck>, c", "a(<<1)", "x [", "y (= 1:2-3)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rels, err := ParseRelations(in)
		if err != nil {
			return
		}
		for _, r := range rels {
			if len(r) == 0 {
				t.Fatal("empty relation")
			}
			for _, d := range r {
				if d.Name == "" {
					t.Fatalf("empty name from %q", in)
				}
			}
		}
	})
}
