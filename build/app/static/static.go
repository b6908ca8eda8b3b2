// Package static is the application builder for static sites (an index.html
// at the root, or a public/ directory): the files are served by the nginx of
// the base, as the base's unprivileged user on port 8080. On a base whose
// nginx is already set up that way (the golden examples/nginx) the site goes
// where that configuration serves from and the base's command is kept; on a
// base with Debian's stock configuration (which wants root, port 80 and
// /var/log) the builder adds its own configuration and runs nginx with it.
//
// It is not a web server and builds nothing: no bundler runs, what is in the
// directory is what is served.
package static

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/command"
)

// Option configures the builder.
type Option func(*builder)

// WithPort sets the port of the configuration the builder writes when the
// base has none it can use. Default: 8080.
func WithPort(port int) Option { return func(b *builder) { b.port = port } }

type builder struct {
	port int

	mu    sync.Mutex
	bases map[string]baseResult // by base manifest digest
}

type baseResult struct {
	nginx *nginxSetup
	err   error
}

var (
	_ app.Builder = (*builder)(nil)
	_ app.Hinter  = (*builder)(nil)
)

// New returns the static site builder.
func New(opts ...Option) app.Builder {
	b := &builder{port: 8080, bases: map[string]baseResult{}}
	for _, opt := range opts {
		opt(b)
	}
	return b
}

func (*builder) Name() string { return "static" }

func (*builder) Hint() string { return "index.html or a public/ directory (a static site)" }

// Detect reports whether dir has an index.html file or a public/ directory.
func (*builder) Detect(dir string) (bool, error) {
	if ok, err := isType(filepath.Join(dir, "public"), fs.ModeDir); ok || err != nil {
		return ok, err
	}
	return isType(filepath.Join(dir, "index.html"), 0)
}

// isType reports whether p exists and is a directory (fs.ModeDir) or a
// regular file (0).
func isType(p string, t fs.FileMode) (bool, error) {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return fi.Mode().Type() == t, nil
}

// siteDir is the directory served: public/ when there is one, else dir.
func siteDir(dir string) (string, error) {
	ok, err := isType(filepath.Join(dir, "public"), fs.ModeDir)
	if err != nil {
		return "", err
	}
	if ok {
		return filepath.Join(dir, "public"), nil
	}
	return dir, nil
}

// Build puts the site where the base's nginx serves it, with a
// configuration of its own when the base has none usable.
func (b *builder) Build(ctx context.Context, req app.Request) (*app.Output, error) {
	ng, err := b.inspect(req.Base)
	if err != nil {
		return nil, err
	}
	site, err := siteDir(req.Dir)
	if err != nil {
		return nil, fmt.Errorf("reading the site in %s: %w", req.Dir, err)
	}
	ignore, err := command.Ignore(req.Dir)
	if err != nil {
		return nil, err
	}
	files, err := app.Files(site, ng.root, app.WithExclude(append([]string{".git", ".dockerignore", ".ingotignore"}, ignore...)...))
	if err != nil {
		return nil, err
	}
	entries := append(parents(ng.root), files...)
	cfg := app.Config{WorkingDir: ng.root, ExposedPorts: []string{fmt.Sprintf("%d/tcp", ng.port)}}
	if ng.conf != nil {
		entries = append(entries, ng.conf...)
		cfg.Entrypoint = ng.entrypoint
		cfg.Cmd = []string{}
	} else if len(req.Base.Config.Config.Entrypoint) == 0 && len(req.Base.Config.Config.Cmd) == 0 {
		cfg.Entrypoint = ng.entrypoint
	}
	return &app.Output{Layers: []app.Layer{{Name: "app", Entries: entries}}, Config: cfg}, nil
}

// inspect reads the base's nginx setup, once per base image.
func (b *builder) inspect(base app.Base) (*nginxSetup, error) {
	key := base.Digest.String()
	b.mu.Lock()
	r, ok := b.bases[key]
	b.mu.Unlock()
	if ok {
		return r.nginx, r.err
	}
	if base.Image == nil {
		return nil, fmt.Errorf("checking the base %s for nginx: no image", base.Name)
	}
	r.nginx, r.err = setup(base, b.port)
	b.mu.Lock()
	b.bases[key] = r
	b.mu.Unlock()
	return r.nginx, r.err
}
