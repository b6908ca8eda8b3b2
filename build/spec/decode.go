package spec

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the work of decoding, aliases included, so that a small
// hostile document ("billion laughs") cannot expand without limit.
const maxNodes = 100000

type decoder struct {
	*collector
	nodes int
}

// spend counts one node against maxNodes and reports false, once with an
// error, when the budget is exhausted.
func (d *decoder) spend(n *yaml.Node) bool {
	d.nodes++
	if d.nodes == maxNodes+1 {
		d.errAt(pos{n.Line, n.Column}, "", "the document is too large or has too many aliases (over %d values)", maxNodes)
	}
	return d.nodes <= maxNodes
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// decode stores n into v (addressable), recording the position of path and
// reporting unknown fields, duplicate keys and wrong types.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if !d.spend(n) {
		return
	}
	if n.Kind == yaml.AliasNode {
		d.decode(n.Alias, v, path)
		return
	}
	d.pos[path] = pos{n.Line, n.Column}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // absent: keep the zero value
	}
	if v.Type() == reflect.TypeFor[Env]() {
		d.envPositions(n, path)
	}
	if v.Addr().Type().Implements(unmarshalerType) {
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.errorf(path, "%v", err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		d.decode(n, nv.Elem(), path)
		v.Set(nv)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(path, "must be a list, e.g. [%s]", example(v.Type().Elem()))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(path, "must be a mapping of names to values")
			return
		}
		m := reflect.MakeMap(v.Type())
		seen := map[string]bool{}
		pairs := d.pairs(n, path)
		for i := 0; i+1 < len(pairs); i += 2 {
			k := d.key(pairs[i], path, seen)
			if k == "" {
				continue
			}
			ev := reflect.New(v.Type().Elem()).Elem()
			d.decode(pairs[i+1], ev, path+"."+k)
			m.SetMapIndex(reflect.ValueOf(k), ev)
		}
		v.Set(m)
	default:
		d.scalar(n, v, path)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(path, "must be a mapping with fields %s", strings.Join(fieldNames(v.Type()), ", "))
		return
	}
	seen := map[string]bool{}
	pairs := d.pairs(n, path)
	for i := 0; i+1 < len(pairs); i += 2 {
		k := d.key(pairs[i], path, seen)
		if k == "" {
			continue
		}
		f, ok := fieldByTag(v.Type(), k)
		if !ok {
			kn := pairs[i]
			d.errAt(pos{kn.Line, kn.Column}, join(path, k), "is not a known field%s: use one of %s", suggest(k, fieldNames(v.Type())), strings.Join(fieldNames(v.Type()), ", "))
			continue
		}
		d.decode(pairs[i+1], v.FieldByIndex(f.Index), join(path, k))
	}
}

// pairs returns the key/value nodes of mapping n with YAML merge keys
// ("<<: *defaults") expanded: explicit keys win over merged ones, and earlier
// merged mappings over later ones.
func (d *decoder) pairs(n *yaml.Node, path string) []*yaml.Node {
	var explicit, merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		explicit = append(explicit, k, v)
	}
	if len(merges) == 0 {
		return explicit
	}
	have := map[string]bool{}
	for i := 0; i < len(explicit); i += 2 {
		have[explicit[i].Value] = true
	}
	var out []*yaml.Node
	var add func(m *yaml.Node, depth int)
	add = func(m *yaml.Node, depth int) {
		if !d.spend(m) || depth > 10 {
			return
		}
		switch m.Kind {
		case yaml.AliasNode:
			add(m.Alias, depth+1)
		case yaml.SequenceNode:
			for _, c := range m.Content {
				add(c, depth+1)
			}
		case yaml.MappingNode:
			p := d.pairs(m, path)
			for i := 0; i+1 < len(p); i += 2 {
				if !have[p[i].Value] {
					have[p[i].Value] = true
					out = append(out, p[i], p[i+1])
				}
			}
		default:
			d.errAt(pos{m.Line, m.Column}, path, "has a merge key (<<) whose value is not a mapping")
		}
	}
	for _, m := range merges {
		add(m, 0)
	}
	return append(out, explicit...)
}

// key returns a mapping key's text, or "" after reporting a bad or duplicate key.
func (d *decoder) key(k *yaml.Node, path string, seen map[string]bool) string {
	if k.Kind != yaml.ScalarNode {
		d.errAt(pos{k.Line, k.Column}, path, "has a key that is not a plain string")
		return ""
	}
	if seen[k.Value] {
		d.errAt(pos{k.Line, k.Column}, join(path, k.Value), "is given twice; keep one")
		return ""
	}
	seen[k.Value] = true
	return k.Value
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(path, "must be %s, not a %s", kindName(v.Kind()), nodeKind(n))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
		return
	case reflect.Bool, reflect.Int, reflect.Int64:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errorf(path, "must be %s, not %q", kindName(v.Kind()), n.Value)
		}
		return
	}
	d.errorf(path, "has an unsupported type %s", v.Type()) // a bug in Spec, not in the file
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key && f.IsExported() {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" && f.IsExported() {
			out = append(out, name)
		}
	}
	return out
}

// suggest returns " (did you mean X?)" for a near miss of a known field.
func suggest(k string, known []string) string {
	lk := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(k))
	for _, f := range known {
		if strings.ToLower(f) == lk {
			return fmt.Sprintf(" (did you mean %q?)", f)
		}
	}
	i := slices.IndexFunc(known, func(f string) bool { return editDistance(strings.ToLower(f), lk) <= 2 })
	if i >= 0 && len(k) > 3 {
		return fmt.Sprintf(" (did you mean %q?)", known[i])
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "an integer"
	}
	return k.String()
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}

func example(t reflect.Type) string {
	if t.Kind() == reflect.String {
		return `"a", "b"`
	}
	return "..."
}

// envPositions records where each variable is, as path.KEY, in either
// form, and reports a variable set twice where it is set again.
func (d *decoder) envPositions(n *yaml.Node, path string) {
	var keys []*yaml.Node
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i])
		}
	case yaml.SequenceNode:
		keys = n.Content
	}
	for _, k := range keys {
		name, _, _ := strings.Cut(k.Value, "=")
		p := path + "." + name
		if _, dup := d.pos[p]; dup {
			d.errAt(pos{k.Line, k.Column}, p, "is set twice; keep one")
			continue
		}
		d.pos[p] = pos{k.Line, k.Column}
	}
}
