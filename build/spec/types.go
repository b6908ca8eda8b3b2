package spec

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Env is a list of "KEY=value" entries. In YAML it is a mapping
// (`TZ: UTC`) or a list of "KEY=value" strings.
type Env []string

// UnmarshalYAML accepts a mapping or a sequence of KEY=value strings.
func (e *Env) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		out := Env{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
				return fmt.Errorf("must map names to plain values (TZ: UTC)")
			}
			out = append(out, k.Value+"="+v.Value)
		}
		*e = out
		return nil
	case yaml.SequenceNode:
		out := Env{}
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("must be a list of KEY=value strings")
			}
			out = append(out, c.Value)
		}
		*e = out
		return nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*e = nil
			return nil
		}
	}
	return fmt.Errorf("must be a mapping (TZ: UTC) or a list of KEY=value strings")
}

// Lookup returns the value of the variable key.
func (e Env) Lookup(key string) (string, bool) {
	for _, kv := range e {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v, true
		}
	}
	return "", false
}

// Mode is a file permission, written in octal either way: "0644", 0644,
// 644 and "0o644" all mean rw-r--r--.
type Mode uint32

// UnmarshalYAML reads the scalar's text as octal digits.
func (m *Mode) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("must be an octal mode such as \"0644\"")
	}
	s := strings.TrimPrefix(strings.TrimPrefix(n.Value, "0o"), "0O")
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v > 0o7777 {
		return fmt.Errorf("%q is not an octal mode between 0000 and 7777: write it like \"0644\"", n.Value)
	}
	*m = Mode(v)
	return nil
}

// String returns the mode as 4 octal digits.
func (m Mode) String() string { return fmt.Sprintf("%04o", uint32(m)) }

// MarshalJSON writes the mode as an octal string, for Digest.
func (m Mode) MarshalJSON() ([]byte, error) { return []byte(`"` + m.String() + `"`), nil }

func itoa(i int) string { return strconv.Itoa(i) }
