package spec

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// baseRefPrefixes name a local image explicitly (see image/source).
var baseRefPrefixes = []string{"oci:", "oci-layout:", "docker-archive:"}

// IsApp reports whether the spec describes an application image.
func (s *Spec) IsApp() bool { return s.App != nil }

// AppDir returns the application's directory: App.Dir joined to the spec's
// directory. Call it on a valid app spec.
func (s *Spec) AppDir() string { return s.rel(s.App.Dir) }

// BaseRef resolves App.Base against the spec's directory. It returns the
// path of a base spec to build first (for a base ending in .yaml or .yml),
// or else an image reference: a local OCI layout or docker tarball (one
// that exists, one prefixed oci: or docker-archive:, or one starting with
// "." or "/") relative to the spec's directory, else the registry
// reference as written.
func (s *Spec) BaseRef() (ref, specFile string) {
	ref, specFile, _ = s.baseRef()
	return ref, specFile
}

func (s *Spec) baseRef() (ref, specFile string, remote bool) {
	b := s.App.Base
	if isSpecFile(b) {
		return "", s.rel(b), false
	}
	for _, p := range baseRefPrefixes {
		if rest, ok := strings.CutPrefix(b, p); ok {
			return p + s.rel(rest), "", false
		}
	}
	if strings.HasPrefix(b, ".") || strings.HasPrefix(b, "/") {
		return s.rel(b), "", false
	}
	if _, err := os.Stat(s.rel(b)); err == nil {
		return s.rel(b), "", false
	}
	return b, "", true
}

func isSpecFile(p string) bool {
	ext := filepath.Ext(p)
	return (ext == ".yaml" || ext == ".yml") && !slices.ContainsFunc(baseRefPrefixes, func(pre string) bool { return strings.HasPrefix(p, pre) })
}

func (s *Spec) rel(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.Dir, p)
}

// goldenOnly are the fields an app spec takes from its base, with why.
var goldenOnly = []struct{ field, why string }{
	{"source", "an app spec takes its layers, packages and accounts from its base"},
	{"architectures", "an app spec is built for every platform of its base (choose some with --arch)"},
	{"layers", "an app spec takes its layers, packages and accounts from its base"},
	{"accounts", "an app spec takes its layers, packages and accounts from its base"},
	{"files", "an app spec copies app.dir into the image, not files"},
	{"env", "an app image takes its environment from its base"},
	{"entrypoint", "the application's kind sets the entrypoint (app.cmd sets the command)"},
	{"cmd", "the application's kind sets the command: use app.cmd"},
	{"workdir", "the application's kind sets the working directory"},
	{"ports", "ports are not supported in an app spec yet"},
	{"labels", "labels are not supported in an app spec yet; the base's are kept"},
	{"annotations", "annotations are not supported in an app spec yet; ingot writes the base's lineage"},
}

// validateApp checks an app spec: the app section, and that no field of a
// golden spec is given.
func (s *Spec) validateApp(c *collector) {
	v := reflect.ValueOf(s).Elem()
	for _, g := range goldenOnly {
		f, _ := fieldByTag(v.Type(), g.field)
		_, inFile := s.pos[g.field]
		if inFile || !v.FieldByIndex(f.Index).IsZero() {
			c.errorf(g.field, "is not allowed next to app: %s: remove %s", g.why, g.field)
		}
	}
	a := s.App
	switch {
	case filepath.IsAbs(a.Dir):
		c.errorf("app.dir", "must be relative to the spec's directory, not absolute (%q), so the spec works in every checkout", a.Dir)
	default:
		if fi, err := os.Stat(s.AppDir()); err != nil || !fi.IsDir() {
			c.errorf("app.dir", "%s is not a directory (%q relative to %s): give the application's source directory", s.AppDir(), a.Dir, s.Dir)
		}
	}
	s.validateBase(c)
	if !slices.Contains(AppKinds, a.Kind) {
		c.errorf("app.kind", "%q is not an application kind%s: use one of %s", a.Kind, suggest(a.Kind, AppKinds), strings.Join(AppKinds, ", "))
	}
	if a.Main != "" {
		switch {
		case a.Kind != "auto" && a.Kind != "go":
			c.errorf("app.main", "is for Go applications, not kind %s: remove it", a.Kind)
		case filepath.IsAbs(a.Main) || !strings.HasPrefix(a.Main, "."):
			c.errorf("app.main", "must be a package path relative to app.dir, such as ./cmd/server, not %q", a.Main)
		}
	}
	if a.Kind == "command" && strings.TrimSpace(a.Cmd) == "" {
		c.errorf("app.cmd", "is required for kind command: the command to run, such as /app/run.sh --serve")
	} else if a.Cmd != "" && strings.TrimSpace(a.Cmd) == "" {
		c.errorf("app.cmd", "is blank: give a command or remove it")
	}
}

func (s *Spec) validateBase(c *collector) {
	b := s.App.Base
	if strings.TrimSpace(b) == "" {
		c.errorf("app.base", "is required: the golden base, as a path to its ingot.yaml, an OCI layout (oci:../out/base) or a registry reference")
		return
	}
	_, specFile, remote := s.baseRef()
	switch {
	case specFile != "":
		if filepath.Clean(specFile) == filepath.Clean(s.file()) {
			c.errorf("app.base", "%q is this spec: name the golden base's ingot.yaml", b)
		} else if fi, err := os.Stat(specFile); err != nil || fi.IsDir() {
			c.errorf("app.base", "%s does not exist (%q relative to %s): name the golden base's ingot.yaml", specFile, b, s.Dir)
		}
	case remote:
		if _, err := name.ParseReference(b); err != nil {
			c.errorf("app.base", "%q is not a local image, a spec or a valid registry reference: %v", b, err)
		}
	}
}
