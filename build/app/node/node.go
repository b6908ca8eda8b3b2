// Package node is the application builder for Node.js projects (a
// package.json with a package-lock.json): it installs the production
// dependencies with `npm ci --omit=dev` on the build machine, with install
// scripts off unless the user opts in, into their own layer keyed by the lock
// file, puts the source in the application layer, and runs the start file
// with the base's node directly: no shell and no npm at run time.
//
// The dependency layer depends only on the lock (and the target platform for
// packages restricted to some CPUs), so an unchanged lock gives a
// byte-identical layer that a registry already has, whatever changes in the
// code.
//
// It is not a Node.js runtime: the base must provide node (examples/nodejs).
// With install scripts off it refuses native modules instead of shipping
// them unbuilt; with them on, it does not cross-compile native modules.
package node

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/command"
)

// Option configures the builder.
type Option func(*builder)

// WithNpm sets the npm command. Default: "npm" from $PATH.
func WithNpm(path string) Option { return func(b *builder) { b.npm = path } }

// WithNode sets the path of node in the base, checked there and used as the
// entrypoint. Default: "/usr/bin/node" (Debian's nodejs).
func WithNode(path string) Option { return func(b *builder) { b.node = path } }

// WithAppDir sets the directory the application is copied to, without the
// leading slash. Default: "app" (/app).
func WithAppDir(dir string) Option { return func(b *builder) { b.appDir = dir } }

type builder struct {
	npm    string
	node   string
	appDir string

	mu    sync.Mutex
	deps  map[string]*deps // by depsKey
	bases map[string]error // base manifest digest → result of the node check
}

var (
	_ app.Builder = (*builder)(nil)
	_ app.Hinter  = (*builder)(nil)
)

// New returns the Node.js builder. It keeps installed dependencies between
// the platforms of one build (and between builds by the same builder) keyed
// by the lock file, so npm runs once per lock and CPU.
func New(opts ...Option) app.Builder {
	b := &builder{npm: "npm", node: "/usr/bin/node", appDir: "app", deps: map[string]*deps{}, bases: map[string]error{}}
	for _, opt := range opts {
		opt(b)
	}
	return b
}

func (*builder) Name() string { return "node" }

func (*builder) Hint() string { return "package.json with package-lock.json (a Node.js project)" }

// Detect reports whether dir has both package.json and package-lock.json.
func (*builder) Detect(dir string) (bool, error) {
	for _, f := range []string{"package.json", "package-lock.json"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !fi.Mode().IsRegular() {
			return false, nil
		}
	}
	return true, nil
}

// Build checks the base has node, installs the production dependencies for
// req.Platform and lays out the source.
func (b *builder) Build(ctx context.Context, req app.Request) (*app.Output, error) {
	log := req.Options.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := b.checkBase(req.Base); err != nil {
		return nil, err
	}
	pkg, err := readPackage(filepath.Join(req.Dir, "package.json"))
	if err != nil {
		return nil, err
	}
	var entry []string
	if len(req.Options.Cmd) == 0 {
		start, err := pkg.startFile(req.Dir)
		if err != nil {
			return nil, err
		}
		entry = []string{b.node, "/" + b.appDir + "/" + start}
		log.Info("node start file", "file", start)
	}
	d, err := b.install(ctx, req, log)
	if err != nil {
		return nil, err
	}
	ignore, err := command.Ignore(req.Dir)
	if err != nil {
		return nil, err
	}
	// .npmrc stays out: it configures the install, often with a registry
	// token, and nothing reads it at run time.
	src, err := app.Files(req.Dir, b.appDir, app.WithExclude(append([]string{".git", "node_modules", ".npmrc"}, ignore...)...))
	if err != nil {
		return nil, err
	}
	var layers []app.Layer
	if len(d.entries) > 0 {
		layers = append(layers, app.Layer{Name: "deps", Entries: d.entries, Packages: d.packages})
	}
	layers = append(layers, app.Layer{Name: "app", Entries: src})
	return &app.Output{
		Layers: layers,
		Config: app.Config{
			Entrypoint: entry,
			WorkingDir: "/" + b.appDir,
			Env:        []string{"NODE_ENV=production"},
		},
	}, nil
}

// NoNodeError says the base has no node.
type NoNodeError struct {
	Base string // the base as the user named it
	Path string // where node was looked for
}

func (e *NoNodeError) Error() string {
	return fmt.Sprintf("the base %s has no Node.js runtime (%s is not in its layers): a Node.js application needs a base with node, "+
		"such as the golden examples/nodejs (ingot build DIR --base-spec examples/nodejs/ingot.yaml)", e.Base, e.Path)
}

// checkBase checks, once per base image, that it has node.
func (b *builder) checkBase(base app.Base) error {
	key := base.Digest.String()
	b.mu.Lock()
	err, ok := b.bases[key]
	b.mu.Unlock()
	if ok {
		return err
	}
	if base.Image == nil {
		return fmt.Errorf("checking the base %s for node: no image", base.Name)
	}
	found, err := hasFile(base.Image, b.node)
	if err != nil {
		return fmt.Errorf("checking the base %s for node: %w", base.Name, err)
	}
	if !found {
		err = &NoNodeError{Base: base.Name, Path: b.node}
	}
	b.mu.Lock()
	b.bases[key] = err
	b.mu.Unlock()
	return err
}
