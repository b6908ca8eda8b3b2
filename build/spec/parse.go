package spec

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FileName is the spec's conventional file name.
const FileName = "ingot.yaml"

// MaxSize bounds the size of a spec file.
const MaxSize = 1 << 20

// Load reads, defaults and validates the spec at path (a directory means
// its ingot.yaml). Files and the keyring are relative to the spec's
// directory. Problems are reported together as
// Errors, each naming path, the line and the column.
func Load(path string) (*Spec, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, FileName)
	}
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
		return nil, finish(name, d.errs)
	}
	s.Defaults()
	errs := d.errs
	// A field that failed to decode is zero; do not also report it missing.
	failed := map[string]bool{}
	for _, e := range d.errs {
		failed[e.Path] = true
	}
	for _, e := range s.validate() {
		if !failed[""] && !underAny(e.Path, failed) {
			errs = append(errs, e)
		}
	}
	if err := finish(name, errs); err != nil {
		return nil, err
	}
	return s, nil
}

// underAny reports whether path or one of its parents is in set.
func underAny(path string, set map[string]bool) bool {
	for path != "" {
		if set[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return false
		}
		path = path[:i]
	}
	return false
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns yaml.v3's "yaml: line 3: ..." into an Error.
func syntaxError(name string, err error) *Error {
	e := &Error{File: name, Msg: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Column = 1
		e.Msg = "is not valid YAML: " + m[2]
	}
	return e
}
