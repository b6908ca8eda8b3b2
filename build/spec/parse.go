package spec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize bounds the size of a spec file.
const MaxSize = 1 << 20

// Load reads, defaults and validates the spec at path. Files and the keyring
// are relative to path's directory. Problems are reported together as
// Errors, each naming path, the line and the column.
func Load(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading spec: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading spec %s: %w", path, err)
	}
	return Parse(data, path)
}

// Parse decodes, defaults and validates a spec. name is the spec's file
// path: it names the spec in errors, and its directory is Spec.Dir.
// It returns Errors (every problem, in document order) if the spec is not
// valid.
func Parse(data []byte, name string) (*Spec, error) {
	if len(data) > MaxSize {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("is %d bytes, over the %d limit for a spec", len(data), MaxSize)}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{syntaxError(name, err)}
	}
	s := &Spec{File: name, Dir: filepath.Dir(name), pos: positions{}}
	if doc.Kind == 0 {
		return nil, Errors{{File: name, Msg: "is empty: a spec needs at least name, owner and layers (see docs/spec.md)"}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d := decoder{collector: &collector{file: name, pos: s.pos}}
	d.decode(root, reflect.ValueOf(s).Elem(), "")
	if d.nodes > maxNodes {
		return nil, d.errs
	}
	s.Defaults()
	errs := d.errs
	if err := s.Validate(); err != nil {
		// A field that failed to decode is zero; do not also report it missing.
		for _, e := range err.(Errors) {
			if !slices.ContainsFunc(d.errs, func(de *Error) bool { return under(e.Path, de.Path) }) {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, byPosition)
		return nil, errs
	}
	return s, nil
}

// under reports whether path is p or inside it.
func under(path, p string) bool {
	return p == "" || path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[")
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns yaml.v3's "yaml: line 3: ..." into an Error.
func syntaxError(name string, err error) *Error {
	e := &Error{File: name, Msg: err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Column = 1
		e.Msg = "is not valid YAML: " + m[2]
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		e.Msg = "is not valid YAML: " + err.Error()
	}
	return e
}
