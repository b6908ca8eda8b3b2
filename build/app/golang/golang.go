// Package golang is the application builder for Go modules (a go.mod at the
// root): it compiles the main package with the host Go toolchain, statically
// (CGO_ENABLED=0) and reproducibly (-trimpath, no VCS stamp, empty build id),
// cross-compiled for each platform of the base, and puts the binary alone in
// the application layer with the entrypoint set to it.
//
// It is not for programs that need cgo, and it does not ship anything from
// the source tree but the binary (embed what the program needs with
// go:embed).
package golang

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ingot-dev/ingot/build/app"
)

// Option configures the builder.
type Option func(*builder)

// WithGo sets the go command. Default: "go" from $PATH.
func WithGo(path string) Option { return func(b *builder) { b.gobin = path } }

// WithBinDir sets the directory the binary is installed in, without the
// leading slash. Default: "app" (/app/NAME).
func WithBinDir(dir string) Option { return func(b *builder) { b.binDir = dir } }

type builder struct {
	gobin  string
	binDir string
}

var (
	_ app.Builder    = (*builder)(nil)
	_ app.Hinter     = (*builder)(nil)
	_ app.Concurrent = (*builder)(nil)
)

// New returns the Go builder.
func New(opts ...Option) app.Builder {
	b := &builder{gobin: "go", binDir: "app"}
	for _, opt := range opts {
		opt(b)
	}
	return b
}

func (*builder) Name() string { return "go" }

// Concurrent is true: each platform is a separate go build.
func (*builder) Concurrent() bool { return true }

func (*builder) Hint() string { return "go.mod (a Go module)" }

// Detect reports whether dir has a go.mod.
func (*builder) Detect(dir string) (bool, error) {
	fi, err := os.Stat(filepath.Join(dir, "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return fi.Mode().IsRegular(), nil
}

// Build compiles the main package for req.Platform.
func (b *builder) Build(ctx context.Context, req app.Request) (*app.Output, error) {
	log := req.Options.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mod, err := readModule(req.Dir)
	if err != nil {
		return nil, err
	}
	pkg, err := selectMain(req.Dir, mod, req.Options.Main)
	if err != nil {
		return nil, err
	}
	env, err := buildEnv(req.Platform, mod)
	if err != nil {
		return nil, err
	}
	name := binaryName(pkg, mod.path)
	log.Info("compiling Go program", "package", pkg, "binary", name, "platform", req.Platform.String())
	bin, err := b.compile(ctx, req.Dir, pkg, env, req.Options.Progress)
	if err != nil {
		return nil, err
	}
	dest := "/" + b.binDir + "/" + name
	return &app.Output{
		Layers: []app.Layer{{Name: "app", Entries: binaryEntries(b.binDir, name, bin)}},
		Config: app.Config{Entrypoint: []string{dest}, WorkingDir: "/" + b.binDir},
	}, nil
}
