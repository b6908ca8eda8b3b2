package sbom

import (
	"regexp"
	"strings"
	"testing"
)

func TestMapLicense(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GPL-2+", "GPL-2.0-or-later"},
		{"GPL-2", "GPL-2.0-only"},
		{"GPL-2.0+", "GPL-2.0-or-later"},
		{"GPL-3.0-or-later", "GPL-3.0-or-later"},
		{"GPL", "GPL-1.0-or-later"},
		{"LGPL-2.1+", "LGPL-2.1-or-later"},
		{"LGPL-2.1", "LGPL-2.1-only"},
		{"LGPL-3+", "LGPL-3.0-or-later"},
		{"AGPL-3+", "AGPL-3.0-or-later"},
		{"GFDL-1.3+", "GFDL-1.3-or-later"},
		{"GPL-4+", "LicenseRef-gpl-4.0"},
		{"Expat", "MIT"},
		{"BSD-3-clause", "BSD-3-Clause"},
		{"bsd-2-clause", "BSD-2-Clause"},
		{"Apache-2.0", "Apache-2.0"},
		{"Zlib", "Zlib"},
		{"ISC", "ISC"},
		{"CC0-1.0", "CC0-1.0"},
		{"public-domain", "LicenseRef-public-domain"},
		{"Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"},
		{"GPL-2+ or Artistic", "GPL-2.0-or-later OR Artistic-1.0"},
		{"LGPL-2.1+ and BSD-3-clause", "LGPL-2.1-or-later AND BSD-3-Clause"},
		{"GPL-1+ or Artistic, and BSD-3-clause", "(GPL-1.0-or-later OR Artistic-1.0) AND BSD-3-Clause"},
		{"Perl and MIT", "(Artistic-1.0-Perl OR GPL-1.0-or-later) AND MIT"},
		{"GPL-3+ with Bison exception", "GPL-3.0-or-later WITH Bison-exception-2.2"},
		{"GPL-3+ with GCC-exception-3.1", "GPL-3.0-or-later WITH GCC-exception-3.1"},
		{"GPL-2+ with OpenSSL exception", "LicenseRef-GPL-2-with-OpenSSL-exception"},
		{"Unicode-DFS-2016", "Unicode-DFS-2016"},
		{"permissive (see below)", "LicenseRef-permissive-see-below"},
		{"SGI_B-2.0", "LicenseRef-SGI-B-2.0"},
		{"or GPL-2+", "GPL-2.0-or-later"},
		{"GPL-2+ or", "GPL-2.0-or-later"},
		{"   ", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := MapLicense(tc.in); got != tc.want {
				t.Errorf("MapLicense(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

const dep5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: example
Source: https://example.org/

Files: *
Copyright: 2000 Someone
License: GPL-2+
 This program is free software; you can redistribute it
 .
 License: not-a-field

Files: lib/*
Copyright: 2001 Other
License: LGPL-2.1+ or BSD-3-clause

Files: debian/*
License: GPL-2+

License: GPL-2+
 The full text of the GPL.

License: Expat
 Permission is hereby granted
`

func TestCopyrightLicenses(t *testing.T) {
	for _, tc := range []struct {
		desc, in string
		want     []string
	}{
		{"dep5", dep5, []string{"GPL-2.0-or-later", "LGPL-2.1-or-later OR BSD-3-Clause"}},
		{"crlf", strings.ReplaceAll(dep5, "\n", "\r\n"), []string{"GPL-2.0-or-later", "LGPL-2.1-or-later OR BSD-3-Clause"}},
		{"old dep5 url", "Format-Specification: x\nFormat: http://svn.debian.org/wsvn/dep/web/deps/dep5.mdwn?op=file&rev=135\n\nFiles: *\nLicense: Expat\n", []string{"MIT"}},
		{"free text", "This package was debianized by someone.\n\nIt is licensed under the GPL-2+.\n", nil},
		{"no files paragraphs", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nLicense: MIT\n", nil},
		{"empty", "", nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			got := CopyrightLicenses([]byte(tc.in))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// validExpression is the shape of what MapLicense may return: SPDX ids and
// LicenseRefs joined by AND, OR, WITH and balanced parentheses.
var validToken = regexp.MustCompile(`^(AND|OR|WITH|LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$`)

func checkExpression(t *testing.T, in, e string) {
	depth := 0
	for _, r := range e {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth < 0 {
			t.Fatalf("MapLicense(%q) = %q: unbalanced", in, e)
		}
	}
	if depth != 0 {
		t.Fatalf("MapLicense(%q) = %q: unbalanced", in, e)
	}
	fields := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(e))
	for i, f := range fields {
		if !validToken.MatchString(f) {
			t.Fatalf("MapLicense(%q) = %q: bad token %q", in, e, f)
		}
		op := f == "AND" || f == "OR" || f == "WITH"
		if op == (i%2 == 0) {
			t.Fatalf("MapLicense(%q) = %q: operators and licences do not alternate", in, e)
		}
	}
}

func FuzzCopyrightLicenses(f *testing.F) {
	f.Add([]byte(dep5))
	f.Add([]byte("Format: dep5\n\nFiles: *\nLicense: GPL-2+ with Font exception, or (MIT and  Apache-2.0)\n"))
	f.Add([]byte("Format: copyright-format\n\nFiles: a\nLicense: , and or with ( )\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range CopyrightLicenses(data) {
			checkExpression(t, string(data), e)
		}
	})
}

func FuzzMapLicense(f *testing.F) {
	for _, s := range []string{"GPL-2+ or Artistic, and BSD-3-clause", "GPL-3+ with Bison exception", "Perl and MIT", "a,,b", "with x", "(GPL-2+)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e := MapLicense(s); e != "" {
			checkExpression(t, s, e)
		}
	})
}

func TestNormalizeExpression(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MIT", "MIT"},
		{"mit", "MIT"},
		{"apache-2.0 or mit", "Apache-2.0 OR MIT"},
		{"(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{"GPL-2.0-or-later WITH Bison-exception-2.2", "GPL-2.0-or-later WITH Bison-exception-2.2"},
		{"GPL-2.0+", "GPL-2.0+"},
		{"BSD", "LicenseRef-BSD"},
		{"LicenseRef-foo_bar", "LicenseRef-foo-bar"},
		{"Apache 2", "LicenseRef-Apache-2"},
		{"SEE LICENSE IN LICENSE.md", "LicenseRef-SEE-LICENSE-IN-LICENSE.md"},
		{"MIT WITH nonsense", "LicenseRef-MIT-WITH-nonsense"},
		{"(MIT", "LicenseRef-MIT"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := normalizeExpression(tc.in); got != tc.want {
				t.Errorf("normalizeExpression(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzNormalizeExpression(f *testing.F) {
	for _, s := range []string{"MIT OR (Apache-2.0 AND BSD)", "((", "GPL-2.0+ WITH x", "a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkExpression(t, s, normalizeExpression(s))
	})
}
