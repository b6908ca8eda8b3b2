package sbom

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// debianLicenses maps Debian copyright short names (lower case, without a
// version-family rule below) to SPDX expressions.
var debianLicenses = map[string]string{
	"expat":            "MIT",
	"mit":              "MIT",
	"isc":              "ISC",
	"zlib":             "Zlib",
	"bsd-2-clause":     "BSD-2-Clause",
	"bsd-3-clause":     "BSD-3-Clause",
	"bsd-4-clause":     "BSD-4-Clause",
	"bsd-0-clause":     "0BSD",
	"0bsd":             "0BSD",
	"apache":           "Apache-2.0",
	"apache-1.0":       "Apache-1.0",
	"apache-1.1":       "Apache-1.1",
	"apache-2":         "Apache-2.0",
	"apache-2.0":       "Apache-2.0",
	"artistic":         "Artistic-1.0",
	"artistic-1":       "Artistic-1.0",
	"artistic-1.0":     "Artistic-1.0",
	"artistic-2":       "Artistic-2.0",
	"artistic-2.0":     "Artistic-2.0",
	"perl":             "Artistic-1.0-Perl OR GPL-1.0-or-later",
	"cc0":              "CC0-1.0",
	"cc0-1.0":          "CC0-1.0",
	"mpl-1.1":          "MPL-1.1",
	"mpl-2":            "MPL-2.0",
	"mpl-2.0":          "MPL-2.0",
	"openssl":          "OpenSSL",
	"ssleay":           "LicenseRef-SSLeay",
	"public-domain":    "LicenseRef-public-domain",
	"publicdomain":     "LicenseRef-public-domain",
	"psf-2":            "PSF-2.0",
	"psf-2.0":          "PSF-2.0",
	"python-2.0":       "Python-2.0",
	"unicode-dfs-2016": "Unicode-DFS-2016",
	"x11":              "X11",
	"curl":             "curl",
	"bsl-1.0":          "BSL-1.0",
	"boost-1.0":        "BSL-1.0",
	"ofl-1.1":          "OFL-1.1",
	"w3c":              "W3C",
	"zpl-2.1":          "ZPL-2.1",
	"unlicense":        "Unlicense",
	"wtfpl":            "WTFPL",
	"ftl":              "FTL",
	"libpng":           "Libpng",
	"libpng-2.0":       "libpng-2.0",
	"ijg":              "IJG",
	"hpnd":             "HPND",
	"bzip2-1.0.6":      "bzip2-1.0.6",
	"lppl-1.3c":        "LPPL-1.3c",
	"ncsa":             "NCSA",
	"cc-by-3.0":        "CC-BY-3.0",
	"cc-by-4.0":        "CC-BY-4.0",
	"cc-by-sa-3.0":     "CC-BY-SA-3.0",
	"cc-by-sa-4.0":     "CC-BY-SA-4.0",
	"epl-1.0":          "EPL-1.0",
	"epl-2.0":          "EPL-2.0",
	"cddl-1.0":         "CDDL-1.0",
	"gfdl-niv":         "LicenseRef-GFDL-NIV",
	"tcl":              "TCL",
	"sleepycat":        "Sleepycat",
	"beerware":         "Beerware",
	"mit-0":            "MIT-0",
	"blessing":         "blessing",
}

// gnuFamily is the GNU licences whose Debian short names carry a version
// and an optional '+': GPL-2+, LGPL-2.1, AGPL-3+, GFDL-1.3+.
var gnuFamily = regexp.MustCompile(`^(a?gpl|lgpl|gfdl)(?:-?v?([0-9]+(?:\.[0-9]+)?))?(\+|-or-later|-only)?$`)

// spdxExceptions are the licence exceptions SPDX lists, as Debian files
// name them in "X with Y exception", lower case without " exception".
var spdxExceptions = map[string]string{
	"gcc-exception-3.1":       "GCC-exception-3.1",
	"gcc-3.1":                 "GCC-exception-3.1",
	"gcc-exception-2.0":       "GCC-exception-2.0",
	"autoconf-exception-3.0":  "Autoconf-exception-3.0",
	"autoconf-3.0":            "Autoconf-exception-3.0",
	"autoconf-exception-2.0":  "Autoconf-exception-2.0",
	"autoconf":                "Autoconf-exception-2.0",
	"bison-exception-2.2":     "Bison-exception-2.2",
	"bison":                   "Bison-exception-2.2",
	"classpath-exception-2.0": "Classpath-exception-2.0",
	"classpath":               "Classpath-exception-2.0",
	"libtool-exception":       "Libtool-exception",
	"libtool":                 "Libtool-exception",
	"font-exception-2.0":      "Font-exception-2.0",
	"font":                    "Font-exception-2.0",
	"llvm-exception":          "LLVM-exception",
	"llvm":                    "LLVM-exception",
}

// MapLicense turns one DEP-5 License short-name expression ("GPL-2+ or
// Artistic", "LGPL-2.1+ and BSD-3-clause", "GPL-3+ with Bison exception",
// "GPL-2+, and MIT") into an SPDX license expression. It returns "" for an
// empty name.
func MapLicense(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	// Commas group: "A or B, and C" is (A OR B) AND C.
	var parts []commaGroup
	for _, g := range splitCommaGroups(name) {
		if e := mapGroup(g.text); e != "" {
			parts = append(parts, commaGroup{cmp.Or(g.op, "AND"), e})
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0].text
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(" " + p.op + " ")
		}
		b.WriteString(paren(p.text))
	}
	return b.String()
}

type commaGroup struct{ op, text string }

// splitCommaGroups splits "A or B, and C" into {"", "A or B"}, {"AND", "C"}.
// A comma not followed by "and" or "or" is read as AND.
func splitCommaGroups(s string) []commaGroup {
	parts := strings.Split(s, ",")
	var out []commaGroup
	for i, p := range parts {
		p = strings.TrimSpace(p)
		op := ""
		if i > 0 {
			op = "AND"
			lower := strings.ToLower(p)
			switch {
			case strings.HasPrefix(lower, "and "):
				p = strings.TrimSpace(p[4:])
			case strings.HasPrefix(lower, "or "):
				op, p = "OR", strings.TrimSpace(p[3:])
			}
		}
		if p == "" {
			continue
		}
		if len(out) == 0 {
			op = ""
		}
		out = append(out, commaGroup{op, p})
	}
	return out
}

// mapGroup maps a comma-free expression: terms joined by "and"/"or", each
// term possibly "X with Y exception".
func mapGroup(s string) string {
	words := strings.Fields(s)
	var out []string
	var term []string
	flush := func() {
		if len(term) > 0 {
			out = append(out, mapTerm(term))
			term = nil
		}
	}
	for _, w := range words {
		switch strings.ToLower(w) {
		case "and", "&":
			flush()
			out = append(out, "AND")
		case "or", "|":
			flush()
			out = append(out, "OR")
		default:
			term = append(term, w)
		}
	}
	flush()
	// Drop dangling or doubled operators left by malformed input.
	var clean []string
	for _, t := range out {
		isOp := t == "AND" || t == "OR"
		if isOp && (len(clean) == 0 || isOperator(clean[len(clean)-1])) {
			continue
		}
		clean = append(clean, t)
	}
	for len(clean) > 0 && isOperator(clean[len(clean)-1]) {
		clean = clean[:len(clean)-1]
	}
	if len(clean) == 1 {
		return clean[0]
	}
	for i, t := range clean {
		if !isOperator(t) {
			clean[i] = paren(t)
		}
	}
	return strings.Join(clean, " ")
}

func isOperator(t string) bool { return t == "AND" || t == "OR" }

// mapTerm maps one licence, possibly with an exception: ["GPL-3+", "with",
// "Bison", "exception"].
func mapTerm(words []string) string {
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = strings.ToLower(strings.Trim(w, "()"))
	}
	if i := slices.Index(lower, "with"); i > 0 {
		base := mapID(strings.Join(words[:i], "-"))
		exc := strings.TrimSuffix(strings.Join(lower[i+1:], "-"), "-exception")
		if id, ok := spdxExceptions[exc]; ok && !strings.HasPrefix(base, "LicenseRef-") && !strings.Contains(base, " ") {
			return base + " WITH " + id
		}
		return licenseRef(strings.Join(words, "-"))
	}
	return mapID(strings.Join(words, "-"))
}

// mapID maps one Debian short name without exception.
func mapID(name string) string {
	n := strings.Trim(name, "()")
	lower := strings.ToLower(n)
	if e, ok := debianLicenses[lower]; ok {
		return e
	}
	if m := gnuFamily.FindStringSubmatch(lower); m != nil {
		return gnuID(m[1], m[2], m[3])
	}
	if id, ok := spdxIDs[lower]; ok {
		return id
	}
	return licenseRef(n)
}

// gnuVersions are the versions SPDX lists for each GNU licence.
var gnuVersions = map[string][]string{
	"GPL":  {"1.0", "2.0", "3.0"},
	"LGPL": {"2.0", "2.1", "3.0"},
	"AGPL": {"1.0", "3.0"},
	"GFDL": {"1.1", "1.2", "1.3"},
}

// gnuID builds GPL-2.0-or-later and friends. Without a version, Debian
// means any version: the first one, or later.
func gnuID(family, version, suffix string) string {
	fam := strings.ToUpper(family)
	if version == "" {
		version, suffix = gnuVersions[fam][0], "+"
	}
	if !strings.Contains(version, ".") {
		version += ".0"
	}
	if !slices.Contains(gnuVersions[fam], version) {
		return licenseRef(family + "-" + version + suffix)
	}
	if suffix == "+" || suffix == "-or-later" {
		return fam + "-" + version + "-or-later"
	}
	return fam + "-" + version + "-only"
}

var (
	refUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)
	dashes    = regexp.MustCompile(`--+`)
)

// licenseRef returns LicenseRef-<name> with every character SPDX does not
// allow in an idstring replaced by '-'.
func licenseRef(name string) string {
	s := strings.Trim(dashes.ReplaceAllString(refUnsafe.ReplaceAllString(name, "-"), "-"), "-")
	if s == "" {
		s = "unknown"
	}
	if len(s) > 64 {
		s = s[:64]
	}
	return "LicenseRef-" + s
}

// paren wraps a compound expression in parentheses.
func paren(e string) string {
	if strings.Contains(e, " ") && !(strings.Contains(e, " WITH ") && !strings.Contains(e, " AND ") && !strings.Contains(e, " OR ")) {
		return "(" + e + ")"
	}
	return e
}

// joinLicenses is the SPDX expression for all of a package's licences: they
// all apply, so AND.
func joinLicenses(ls []string) string {
	if len(ls) == 1 {
		return ls[0]
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = paren(l)
	}
	return strings.Join(parts, " AND ")
}

// licenseRefs returns the LicenseRef- identifiers in expressions, sorted.
func licenseRefs(exprs []string) []string {
	var out []string
	for _, e := range exprs {
		for _, f := range strings.FieldsFunc(e, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
			if strings.HasPrefix(f, "LicenseRef-") {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// normalizeExpression makes e a valid SPDX license expression for the
// writers: operators in upper case, identifiers as the SPDX list spells
// them, anything else a LicenseRef. Input from other ecosystems ("BSD",
// "Apache 2", "SEE LICENSE IN LICENSE.md") then still gives valid
// documents. An expression that does not parse becomes one LicenseRef.
func normalizeExpression(e string) string {
	fields := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(e))
	var out []string
	depth, wantTerm, afterWith := 0, true, false
	for _, f := range fields {
		switch up := strings.ToUpper(f); {
		case f == "(":
			if !wantTerm {
				return licenseRef(e)
			}
			depth++
			out = append(out, f)
		case f == ")":
			if wantTerm || depth == 0 {
				return licenseRef(e)
			}
			depth--
			out = append(out, f)
		case up == "AND" || up == "OR" || up == "WITH":
			if wantTerm {
				return licenseRef(e)
			}
			afterWith = up == "WITH"
			wantTerm = true
			out = append(out, up)
		default:
			if !wantTerm {
				return licenseRef(e)
			}
			wantTerm = false
			switch {
			case afterWith:
				id, ok := spdxIDs[strings.ToLower(f)]
				if !ok {
					return licenseRef(e)
				}
				out = append(out, id)
			case strings.HasPrefix(f, "LicenseRef-"):
				out = append(out, licenseRef(strings.TrimPrefix(f, "LicenseRef-")))
			default:
				if id, ok := spdxIDs[strings.ToLower(f)]; ok {
					out = append(out, id)
				} else if id, ok := spdxIDs[strings.ToLower(strings.TrimSuffix(f, "+"))]; ok && strings.HasSuffix(f, "+") {
					out = append(out, id+"+")
				} else {
					out = append(out, licenseRef(f))
				}
			}
			afterWith = false
		}
	}
	if wantTerm || depth != 0 || len(out) == 0 {
		return licenseRef(e)
	}
	return strings.NewReplacer("( ", "(", " )", ")").Replace(strings.Join(out, " "))
}
