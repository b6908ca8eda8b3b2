package lock

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
)

// MaxSize bounds the lock files Read accepts (a lock of 1,000 packages on two
// architectures is about 600 KiB).
const MaxSize = 64 << 20

// ErrInvalid is matched (errors.Is) by every validation error of Read.
var ErrInvalid = errors.New("invalid lock file")

// Error is a validation error at a line of the lock file.
type Error struct {
	Line int // 1-based; 0 if unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return ErrInvalid }

func errAt(n *yaml.Node, format string, args ...any) error {
	return &Error{Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// ReadFile reads and validates the lock file at path.
func ReadFile(path string) (*Lock, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading lock file: %w (run `ingot lock` to create it)", err)
	}
	defer f.Close()
	l, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("reading lock file %s: %w (regenerate it with `ingot lock --update`)", path, err)
	}
	return l, nil
}

// Read parses and validates a lock file.
func Read(r io.Reader) (*Lock, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading lock file: %w", err)
	}
	if len(b) > MaxSize {
		return nil, &Error{Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	return Unmarshal(b)
}

// Unmarshal parses and validates a lock file's bytes.
func Unmarshal(b []byte) (*Lock, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &Error{Msg: fmt.Sprintf("not valid YAML: %v", err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &Error{Line: 1, Msg: "empty lock file"}
	}
	top := doc.Content[0]
	l := &Lock{}
	version := 0
	err := fields(top, "lock file", map[string]func(*yaml.Node) error{
		"lockVersion": func(n *yaml.Node) error {
			v, err := intValue(n, "lockVersion")
			if err == nil && v != FormatVersion {
				return errAt(n, "lockVersion %d is not supported (this ingot understands %d; upgrade ingot or regenerate the lock)", v, FormatVersion)
			}
			version = int(v)
			return err
		},
		"sourceDateEpoch": func(n *yaml.Node) (err error) {
			l.SourceDateEpoch, err = intValue(n, "sourceDateEpoch")
			if err == nil && l.SourceDateEpoch <= 0 {
				return errAt(n, "sourceDateEpoch %d must be positive", l.SourceDateEpoch)
			}
			return err
		},
		"inputs": func(n *yaml.Node) (err error) {
			l.Inputs, err = strValue(n, "inputs")
			if err == nil && !fetch.ValidSHA256(l.Inputs) {
				return errAt(n, "inputs %q is not a SHA256 (64 lower-case hex digits)", l.Inputs)
			}
			return err
		},
		"source": func(n *yaml.Node) error {
			return fields(n, "source", map[string]func(*yaml.Node) error{
				"suites":     func(n *yaml.Node) (err error) { l.Request.Suites, err = strList(n, "suites", true); return },
				"components": func(n *yaml.Node) (err error) { l.Request.Components, err = strList(n, "components", true); return },
			})
		},
		"request": func(n *yaml.Node) error {
			return fields(n, "request", map[string]func(*yaml.Node) error{
				"packages":   func(n *yaml.Node) (err error) { l.Request.Packages, err = strList(n, "packages", true); return },
				"recommends": func(n *yaml.Node) (err error) { l.Request.Recommends, err = boolValue(n, "recommends"); return },
				"essential":  func(n *yaml.Node) (err error) { l.Request.Essential, err = boolValue(n, "essential"); return },
			})
		},
		"architectures": func(n *yaml.Node) (err error) {
			l.Architectures, err = readArchs(n)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return nil, errAt(top, "lockVersion missing")
	}
	l.Request.Architectures = []string{}
	for _, a := range l.Architectures {
		l.Request.Architectures = append(l.Request.Architectures, a.Name)
	}
	return l, nil
}

// fields walks a mapping, calling each key's handler; every key is required,
// unknown and repeated keys are errors.
func fields(n *yaml.Node, what string, handlers map[string]func(*yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, "%s: want a mapping", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return errAt(k, "%s: keys must be plain strings", what)
		}
		h, ok := handlers[k.Value]
		if !ok {
			return errAt(k, "%s: unknown key %q", what, k.Value)
		}
		if seen[k.Value] {
			return errAt(k, "%s: %q repeated", what, k.Value)
		}
		seen[k.Value] = true
		if v.Kind == yaml.AliasNode {
			return errAt(v, "%s: %s: aliases are not allowed", what, k.Value)
		}
		if err := h(v); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(handlers) {
		if !seen[k] {
			return errAt(n, "%s: %q missing", what, k)
		}
	}
	return nil
}

func readArchs(n *yaml.Node) ([]Arch, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "architectures: want a mapping from architecture to packages")
	}
	out := []Arch{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || !validName(k.Value) {
			return nil, errAt(k, "architectures: bad architecture name %q", k.Value)
		}
		if len(out) > 0 && out[len(out)-1].Name >= k.Value {
			return nil, errAt(k, "architectures: %q is repeated or out of order", k.Value)
		}
		if v.Kind != yaml.SequenceNode {
			return nil, errAt(v, "architectures: %s: want a list of packages", k.Value)
		}
		a := Arch{Name: k.Value, Packages: []Package{}}
		for _, pn := range v.Content {
			p, err := readPackage(pn, k.Value)
			if err != nil {
				return nil, err
			}
			if m := len(a.Packages); m > 0 && comparePackages(a.Packages[m-1], p) >= 0 {
				return nil, errAt(pn, "%s: %s (%s) is repeated or out of order (packages are sorted by name, then architecture)", k.Value, p.Name, p.Architecture)
			}
			a.Packages = append(a.Packages, p)
		}
		out = append(out, a)
	}
	return out, nil
}

func readPackage(n *yaml.Node, arch string) (Package, error) {
	var p Package
	what := arch + " package"
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "name" && n.Content[i+1].Kind == yaml.ScalarNode {
				what = fmt.Sprintf("%s package %s", arch, n.Content[i+1].Value)
			}
		}
	}
	s := func(dst *string, key string) func(*yaml.Node) error {
		return func(v *yaml.Node) (err error) {
			*dst, err = strValue(v, what+": "+key)
			if err == nil && *dst == "" {
				return errAt(v, "%s: %s is empty", what, key)
			}
			return err
		}
	}
	version := func(dst *string, key string) func(*yaml.Node) error {
		return func(v *yaml.Node) error {
			if err := s(dst, key)(v); err != nil {
				return err
			}
			if _, err := debian.ParseVersion(*dst); err != nil {
				return errAt(v, "%s: %s: %v", what, key, err)
			}
			return nil
		}
	}
	err := fields(n, what, map[string]func(*yaml.Node) error{
		"name":          s(&p.Name, "name"),
		"version":       version(&p.Version, "version"),
		"architecture":  s(&p.Architecture, "architecture"),
		"source":        s(&p.Source, "source"),
		"sourceVersion": version(&p.SourceVersion, "sourceVersion"),
		"suite":         s(&p.Suite, "suite"),
		"filename": func(v *yaml.Node) error {
			if err := s(&p.Filename, "filename")(v); err != nil {
				return err
			}
			if !validPath(p.Filename) {
				return errAt(v, "%s: filename %q must be a relative pool path without ..", what, p.Filename)
			}
			return nil
		},
		"size": func(v *yaml.Node) (err error) {
			p.Size, err = intValue(v, what+": size")
			if err == nil && p.Size < 0 {
				return errAt(v, "%s: size %d is negative", what, p.Size)
			}
			return err
		},
		"sha256": func(v *yaml.Node) error {
			if err := s(&p.SHA256, "sha256")(v); err != nil {
				return err
			}
			if !fetch.ValidSHA256(p.SHA256) {
				return errAt(v, "%s: sha256 %q is not 64 lower-case hex digits", what, p.SHA256)
			}
			return nil
		},
	})
	if err != nil {
		return p, err
	}
	if !validName(p.Name) {
		return p, errAt(n, "%s: bad package name %q", what, p.Name)
	}
	return p, nil
}

func strValue(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float") {
		return "", errAt(n, "%s: want a string", what)
	}
	return n.Value, nil
}

func intValue(n *yaml.Node, what string) (int64, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, errAt(n, "%s: want an integer", what)
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, errAt(n, "%s: want a decimal integer, got %q", what, n.Value)
	}
	return v, nil
}

func boolValue(n *yaml.Node, what string) (bool, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, errAt(n, "%s: want true or false", what)
	}
	return n.Value == "true", nil
}

func strList(n *yaml.Node, what string, nonEmpty bool) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, "%s: want a list", what)
	}
	out := []string{}
	for _, c := range n.Content {
		s, err := strValue(c, what)
		if err != nil {
			return nil, err
		}
		if nonEmpty && s == "" {
			return nil, errAt(c, "%s: empty entry", what)
		}
		out = append(out, s)
	}
	return out, nil
}
