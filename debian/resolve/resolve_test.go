package resolve

import (
	"errors"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		desc     string
		universe string
		req      Request
		want     string // sorted name=version, space separated
	}{
		{
			desc: "plain depends and pre-depends, transitively",
			universe: `Package: a
Version: 1
Depends: b
Pre-Depends: c

Package: b
Version: 1
Depends: d

Package: c
Version: 1

Package: d
Version: 2

Package: unrelated
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 b=1 c=1 d=2",
		},
		{
			desc: "first satisfiable alternative in order",
			universe: `Package: a
Version: 1
Depends: missing | c | b

Package: b
Version: 1

Package: c
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 c=1",
		},
		{
			desc: "alternative already satisfied by a requested package is kept",
			universe: `Package: a
Version: 1
Depends: b | c

Package: b
Version: 1

Package: c
Version: 1
`,
			req:  Request{Packages: []string{"a", "c"}},
			want: "a=1 c=1",
		},
		{
			desc: "alternative already satisfied by an earlier chosen dependency is kept",
			universe: `Package: a
Version: 1
Depends: x, y

Package: x
Version: 1
Depends: c

Package: y
Version: 1
Depends: b | c

Package: b
Version: 1

Package: c
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 c=1 x=1 y=1",
		},
		{
			desc: "versioned constraint skips an alternative whose candidate is too old",
			universe: `Package: a
Version: 1
Depends: b (>= 2) | c

Package: b
Version: 1

Package: c
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 c=1",
		},
		{
			desc: "highest version across suites is the candidate",
			universe: `Package: a
Version: 1
Depends: b (>= 1.1)

Package: b
Version: 1.0

Package: b
Version: 1.2
Suite: bookworm-security

Package: b
Version: 1.1
Suite: bookworm-updates
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 b=1.2",
		},
		{
			desc: "pinned request version is used for dependencies",
			universe: `Package: a
Version: 1
Depends: b (<< 2)

Package: b
Version: 1

Package: b
Version: 2
`,
			req:  Request{Packages: []string{"b=1", "a"}},
			want: "a=1 b=1",
		},
		{
			desc: "virtual package through Provides",
			universe: `Package: a
Version: 1
Depends: awk

Package: mawk
Version: 1.3
Provides: awk
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 mawk=1.3",
		},
		{
			desc: "versioned Provides satisfies a versioned dependency",
			universe: `Package: a
Version: 1
Depends: foo (>= 0.9)

Package: p
Version: 5
Provides: foo (= 1.0)
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 p=5",
		},
		{
			desc: "unversioned Provides never satisfies a versioned dependency",
			universe: `Package: a
Version: 1
Depends: foo (>= 0.9) | bar

Package: p
Version: 5
Provides: foo

Package: bar
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 bar=1",
		},
		{
			desc: "real package wins over providers",
			universe: `Package: a
Version: 1
Depends: foo

Package: aaa-provider
Version: 1
Priority: required
Essential: yes
Provides: foo

Package: foo
Version: 1
Priority: optional
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 foo=1",
		},
		{
			desc: "providers: Essential first",
			universe: `Package: a
Version: 1
Depends: foo

Package: p1
Version: 1
Priority: required
Provides: foo

Package: p2
Version: 1
Priority: optional
Essential: yes
Provides: foo
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 p2=1",
		},
		{
			desc: "providers: higher priority, then name",
			universe: `Package: a
Version: 1
Depends: foo, bar

Package: p1
Version: 1
Priority: optional
Provides: foo

Package: p2
Version: 1
Priority: important
Provides: foo

Package: q2
Version: 1
Priority: optional
Provides: bar

Package: q1
Version: 1
Priority: optional
Provides: bar
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 p2=1 q1=1",
		},
		{
			desc: "provider already chosen is preferred",
			universe: `Package: a
Version: 1
Depends: foo

Package: p1
Version: 1
Priority: required
Provides: foo

Package: p2
Version: 1
Priority: optional
Provides: foo
`,
			req:  Request{Packages: []string{"a", "p2"}},
			want: "a=1 p2=1",
		},
		{
			desc: "provider whose candidate dropped the Provides is not used",
			universe: `Package: a
Version: 1
Depends: foo | bar

Package: p
Version: 1
Provides: foo

Package: p
Version: 2

Package: bar
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 bar=1",
		},
		{
			desc: ":any is satisfied only by Multi-Arch: allowed (or foreign)",
			universe: `Package: a
Version: 1
Depends: perl:any | python3:any, tool:any

Package: perl
Version: 5
Multi-Arch: no

Package: python3
Version: 3
Multi-Arch: allowed

Package: tool
Version: 1
Multi-Arch: foreign
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 python3=3 tool=1",
		},
		{
			desc: ":native and an explicit architecture qualifier",
			universe: `Package: a
Version: 1
Depends: b:native, c:amd64, d:arm64 | e

Package: b
Version: 1

Package: c
Version: 1
Architecture: all

Package: d
Version: 1

Package: e
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 b=1 c=1 e=1",
		},
		{
			desc: "architecture restriction lists are ignored for binary dependencies",
			universe: `Package: a
Version: 1
Depends: b [i386]

Package: b
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 b=1",
		},
		{
			desc: "Recommends are ignored unless asked",
			universe: `Package: a
Version: 1
Recommends: r, missing

Package: r
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1",
		},
		{
			desc: "Recommends with WithRecommends; unsatisfiable ones are skipped",
			universe: `Package: a
Version: 1
Recommends: r, missing

Package: r
Version: 1
`,
			req:  Request{Packages: []string{"a"}, WithRecommends: true},
			want: "a=1 r=1",
		},
		{
			desc: "Essential set only when asked",
			universe: `Package: a
Version: 1

Package: e
Version: 1
Essential: yes
Depends: f

Package: f
Version: 1
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1",
		},
		{
			desc: "WithEssential adds Essential packages and their dependencies",
			universe: `Package: a
Version: 1

Package: e
Version: 1
Essential: yes
Depends: f

Package: f
Version: 1
`,
			req:  Request{Packages: []string{"a"}, WithEssential: true},
			want: "a=1 e=1 f=1",
		},
		{
			desc: "duplicates, name:arch and a virtual name with one provider",
			universe: `Package: a
Version: 1

Package: mawk
Version: 1
Provides: awk
`,
			req:  Request{Packages: []string{"a", "a:amd64", "a", "awk"}},
			want: "a=1 mawk=1",
		},
		{
			desc: "dependency cycles terminate",
			universe: `Package: a
Version: 1
Depends: b

Package: b
Version: 1
Depends: a
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 b=1",
		},
		{
			desc: "an alternative that conflicts with the chosen set is skipped",
			universe: `Package: a
Version: 1
Depends: x | y

Package: x
Version: 1
Conflicts: b

Package: y
Version: 1

Package: b
Version: 1
`,
			req:  Request{Packages: []string{"b", "a"}},
			want: "a=1 b=1 y=1",
		},
		{
			desc: "a package that provides and conflicts with a virtual name is not a conflict with itself",
			universe: `Package: a
Version: 1
Depends: mta

Package: postfix
Version: 1
Provides: mta
Conflicts: mta
`,
			req:  Request{Packages: []string{"a"}},
			want: "a=1 postfix=1",
		},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			ix := universe(t, tc.universe)
			r, err := Resolve(ix, tc.req)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got := names(r); got != tc.want {
				t.Errorf("set:\n got %s\nwant %s", got, tc.want)
			}
			if len(r.Dropped) != 0 {
				t.Errorf("dropped %v", r.Dropped)
			}
			checkClosed(t, ix, r)
		})
	}
}

func TestResolveErrors(t *testing.T) {
	const base = `Package: curl
Version: 7.88
Depends: libcurl4 (= 7.88)

Package: libcurl4
Version: 7.88
Depends: libnghttp2-14 (>= 1.50)

Package: libnghttp2-14
Version: 1.48
Suite: bookworm

Package: python3
Version: 3.11

Package: python3-yaml
Version: 6

Package: mawk
Version: 1
Provides: awk

Package: gawk
Version: 5
Provides: awk

Package: old
Version: 1
Breaks: newlib (<< 2)

Package: newlib
Version: 1.5

Package: vconf
Version: 1
Conflicts: virt

Package: needsx
Version: 1
Depends: dx, dz

Package: dx
Version: 1
Depends: x

Package: x
Version: 1

Package: dz
Version: 1
Depends: z

Package: z
Version: 1
Conflicts: x

Package: vprov
Version: 1
Provides: virt
`
	tests := []struct {
		desc  string
		req   Request
		check func(t *testing.T, err error)
	}{
		{
			desc: "unknown package names the closest matches",
			req:  Request{Packages: []string{"pythn3"}},
			check: func(t *testing.T, err error) {
				var e *UnknownPackageError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *UnknownPackageError", err, err)
				}
				if len(e.Suggestions) == 0 || e.Suggestions[0] != "python3" {
					t.Errorf("suggestions %v, want python3 first", e.Suggestions)
				}
				if !strings.Contains(err.Error(), "did you mean python3") {
					t.Errorf("message %q does not suggest python3", err)
				}
			},
		},
		{
			desc: "prefix suggestions",
			req:  Request{Packages: []string{"python"}},
			check: func(t *testing.T, err error) {
				var e *UnknownPackageError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *UnknownPackageError", err, err)
				}
				if strings.Join(e.Suggestions, ",") != "python3,python3-yaml" {
					t.Errorf("suggestions %v", e.Suggestions)
				}
			},
		},
		{
			desc: "virtual package with several providers",
			req:  Request{Packages: []string{"awk"}},
			check: func(t *testing.T, err error) {
				var e *UnknownPackageError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *UnknownPackageError", err, err)
				}
				if strings.Join(e.Providers, ",") != "gawk,mawk" {
					t.Errorf("providers %v", e.Providers)
				}
			},
		},
		{
			desc: "unsatisfiable dependency names the chain and what is available",
			req:  Request{Packages: []string{"curl"}},
			check: func(t *testing.T, err error) {
				var e *UnsatisfiableError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *UnsatisfiableError", err, err)
				}
				want := "curl -> libcurl4 -> libnghttp2-14 (>= 1.50): no version in bookworm satisfies it; available: libnghttp2-14 1.48 (bookworm)"
				if err.Error() != want {
					t.Errorf("message:\n got %s\nwant %s", err, want)
				}
			},
		},
		{
			desc: "pinned version that does not exist",
			req:  Request{Packages: []string{"python3=3.12"}},
			check: func(t *testing.T, err error) {
				var e *UnsatisfiableError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *UnsatisfiableError", err, err)
				}
				if !strings.Contains(err.Error(), "python3 (= 3.12)") || !strings.Contains(err.Error(), "python3 3.11") {
					t.Errorf("message %q", err)
				}
			},
		},
		{
			desc: "versioned Breaks inside the set",
			req:  Request{Packages: []string{"newlib", "old"}},
			check: func(t *testing.T, err error) {
				var e *ConflictError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *ConflictError", err, err)
				}
				if e.Package.Name != "old" || e.Other.Name != "newlib" || e.Field != "Breaks" {
					t.Errorf("conflict %s %s %s", e.Package.Name, e.Field, e.Other.Name)
				}
			},
		},
		{
			desc: "Conflicts via Provides",
			req:  Request{Packages: []string{"vconf", "vprov"}},
			check: func(t *testing.T, err error) {
				var e *ConflictError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *ConflictError", err, err)
				}
				if e.Package.Name != "vconf" || e.Other.Name != "vprov" || e.Field != "Conflicts" {
					t.Errorf("conflict %s %s %s", e.Package.Name, e.Field, e.Other.Name)
				}
			},
		},
		{
			desc: "dropping a conflicting package leaves a dependency without solutions",
			req:  Request{Packages: []string{"needsx"}},
			check: func(t *testing.T, err error) {
				var e *ConflictError
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want *ConflictError", err, err)
				}
				if e.Package.Name != "z" || e.Other.Name != "x" {
					t.Errorf("conflict %s %s %s", e.Package.Name, e.Field, e.Other.Name)
				}
				want := "needsx -> dz -> z"
				if got := FormatChain(e.Chain); !strings.HasPrefix(got, want) {
					t.Errorf("chain %q, want %q...", got, want)
				}
			},
		},
		{
			desc: "request for another architecture",
			req:  Request{Packages: []string{"python3:arm64"}},
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "arm64") {
					t.Errorf("got %v, want an error naming arm64", err)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := Resolve(universe(t, base), tc.req)
			tc.check(t, err)
		})
	}
}

func TestVersionedBreaksNotHitIsFine(t *testing.T) {
	ix := universe(t, `Package: old
Version: 1
Breaks: newlib (<< 2)

Package: newlib
Version: 2
`)
	r, err := Resolve(ix, Request{Packages: []string{"old", "newlib"}})
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if got := names(r); got != "newlib=2 old=1" {
		t.Errorf("set %s", got)
	}
}
