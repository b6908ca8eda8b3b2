package debian

import (
	"fmt"
	"strings"
)

// Relation is one comma-separated element of a dependency field: a list of
// alternatives separated by "|". Most relations have one alternative.
type Relation []Dep

// Dep is one alternative: "name[:archqual] [(op version)] [arch list] [<profiles>]".
type Dep struct {
	Name     string
	ArchQual string // "", "any", "native" or an architecture name
	Op       string // "", "<<", "<=", "=", ">=", ">>"
	Version  Version
	Arches   []string // architecture restriction list, e.g. ["amd64", "!i386"]
	Profiles string   // build profile restrictions, kept verbatim
}

// HasVersion reports whether the dependency constrains the version.
func (d Dep) HasVersion() bool { return d.Op != "" }

// Satisfies reports whether version v meets the dependency's constraint.
func (d Dep) Satisfies(v Version) bool {
	if d.Op == "" {
		return true
	}
	c := v.Compare(d.Version)
	switch d.Op {
	case "<<":
		return c < 0
	case "<=":
		return c <= 0
	case "=":
		return c == 0
	case ">=":
		return c >= 0
	case ">>":
		return c > 0
	}
	return false
}

// AppliesTo reports whether the architecture restriction list includes arch.
func (d Dep) AppliesTo(arch string) bool {
	if len(d.Arches) == 0 {
		return true
	}
	negated := strings.HasPrefix(d.Arches[0], "!")
	for _, a := range d.Arches {
		if strings.TrimPrefix(a, "!") == arch {
			return !negated
		}
	}
	return negated
}

func (d Dep) String() string {
	var b strings.Builder
	b.WriteString(d.Name)
	if d.ArchQual != "" {
		b.WriteString(":" + d.ArchQual)
	}
	if d.Op != "" {
		fmt.Fprintf(&b, " (%s %s)", d.Op, d.Version)
	}
	if len(d.Arches) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(d.Arches, " "))
	}
	return b.String()
}

func (r Relation) String() string {
	parts := make([]string, len(r))
	for i, d := range r {
		parts[i] = d.String()
	}
	return strings.Join(parts, " | ")
}

// ParseRelations parses a dependency field such as Depends or Provides. Empty
// elements (a trailing comma, which dpkg tolerates in some fields) are
// skipped. It is what PackageParser runs on every relation field of an
// index, so it allocates each relation's alternatives exactly.
func ParseRelations(s string) ([]Relation, error) {
	var out []Relation
	for rest := s; ; {
		item, tail, more := strings.Cut(rest, ",")
		item = strings.TrimSpace(item)
		if item != "" {
			rel, err := parseRelation(item)
			if err != nil {
				return nil, fmt.Errorf("relation %q: %w", truncate(item, 80), err)
			}
			if out == nil {
				out = make([]Relation, 0, strings.Count(tail, ",")+1)
			}
			out = append(out, rel)
		}
		if !more {
			return out, nil
		}
		rest = tail
	}
}

// parseRelation parses one comma-separated element: alternatives joined by "|".
func parseRelation(item string) (Relation, error) {
	rel := make(Relation, 0, strings.Count(item, "|")+1)
	for rest := item; ; {
		alt, tail, more := strings.Cut(rest, "|")
		d, err := parseDep(strings.TrimSpace(alt))
		if err != nil {
			return nil, err
		}
		rel = append(rel, d)
		if !more {
			return rel[:len(rel):len(rel)], nil
		}
		rest = tail
	}
}

func parseDep(s string) (Dep, error) {
	var d Dep
	if s == "" {
		return d, fmt.Errorf("empty alternative")
	}
	// Split into the name, then (...), [...] and <...> groups, in any order
	// after the name. '<' inside (...) belongs to the version operator.
	var name, cons string
	var profiles []string
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '(', '[', '<':
			end := byte(')')
			switch c {
			case '[':
				end = ']'
			case '<':
				end = '>'
			}
			j := strings.IndexByte(s[i+1:], end)
			if j < 0 {
				return d, fmt.Errorf("unterminated %q group in %q", string(c), s)
			}
			body := strings.TrimSpace(s[i+1 : i+1+j])
			switch c {
			case '(':
				if cons != "" {
					return d, fmt.Errorf("two version constraints in %q", s)
				}
				cons = body
				if cons == "" {
					return d, fmt.Errorf("empty version constraint in %q", s)
				}
			case '[':
				d.Arches = append(d.Arches, strings.Fields(body)...)
			case '<':
				profiles = append(profiles, "<"+body+">")
			}
			i += j + 2
		case ' ', '\t', '\n':
			i++
		default:
			if name != "" || cons != "" || d.Arches != nil || profiles != nil {
				return d, fmt.Errorf("unexpected %q in %q", s[i:], s)
			}
			j := i
		name:
			for ; j < len(s); j++ {
				switch s[j] {
				case ' ', '\t', '\n', '(', '[', '<':
					break name
				}
			}
			name = s[i:j]
			i = j
		}
	}
	d.Profiles = strings.Join(profiles, " ")
	if cons != "" {
		op := ""
		for _, o := range []string{"<<", "<=", ">=", ">>", "=", "<", ">"} {
			if strings.HasPrefix(cons, o) {
				op = o
				break
			}
		}
		if op == "" {
			return d, fmt.Errorf("version constraint %q has no operator", cons)
		}
		v, err := ParseVersion(strings.TrimSpace(cons[len(op):]))
		if err != nil {
			return d, err
		}
		// Obsolete "<" and ">" mean "<=" and ">=".
		switch op {
		case "<":
			op = "<="
		case ">":
			op = ">="
		}
		d.Op, d.Version = op, v
	}
	n, qual, _ := strings.Cut(name, ":")
	if n == "" {
		return d, fmt.Errorf("missing package name in %q", s)
	}
	d.Name, d.ArchQual = n, qual
	return d, nil
}
