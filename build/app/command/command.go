// Package command is the application builder for any directory run with an
// explicit command (ingot build DIR --cmd '...'): it copies the directory to
// /app and sets the command, in exec form, with no shell in between. It also
// holds what the other builders share about source trees: Split parses a
// command line the way a shell splits words, and Ignore reads the patterns of
// .dockerignore and .ingotignore.
//
// It is not for detecting a kind of application (it is the fallback when the
// user gives a command) and it installs nothing: the base must have what the
// command needs.
package command

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ingot-dev/ingot/build/app"
)

// Option configures the builder.
type Option func(*builder)

// WithDir sets the directory the source is copied to, without the leading
// slash. Default: "app" (/app).
func WithDir(dir string) Option { return func(b *builder) { b.dir = strings.Trim(dir, "/") } }

type builder struct{ dir string }

var (
	_ app.Builder = (*builder)(nil)
	_ app.Hinter  = (*builder)(nil)
)

// New returns the command builder. Give it to app.WithFallback: it is used
// when no other builder recognises the directory and a command was given.
func New(opts ...Option) app.Builder {
	b := &builder{dir: "app"}
	for _, opt := range opts {
		opt(b)
	}
	return b
}

func (*builder) Name() string { return "command" }

func (*builder) Hint() string { return "any directory with an explicit command (--cmd)" }

// Detect recognises every directory: the command builder only needs a
// command, which Build checks.
func (*builder) Detect(dir string) (bool, error) { return true, nil }

// ErrNoCommand is returned by Build when no command was given.
var ErrNoCommand = errors.New("no command given")

// Build copies req.Dir (without .git and what .dockerignore or .ingotignore
// exclude) to /app and runs req.Options.Cmd there.
func (b *builder) Build(ctx context.Context, req app.Request) (*app.Output, error) {
	cmd := req.Options.Cmd
	if len(cmd) == 0 || cmd[0] == "" {
		return nil, fmt.Errorf("building %s as a plain directory: %w: say what to run with --cmd, e.g. --cmd '/%s/start.sh --port 8080' (the directory is copied to /%s)",
			req.Dir, ErrNoCommand, b.dir, b.dir)
	}
	if err := b.checkProgram(req.Dir, cmd[0]); err != nil {
		return nil, err
	}
	ignore, err := Ignore(req.Dir)
	if err != nil {
		return nil, err
	}
	entries, err := app.Files(req.Dir, b.dir, app.WithExclude(append([]string{".git"}, ignore...)...))
	if err != nil {
		return nil, err
	}
	return &app.Output{
		Layers: []app.Layer{{Name: "app", Entries: entries}},
		Config: app.Config{Entrypoint: cmd, WorkingDir: "/" + b.dir},
	}, nil
}

// checkProgram checks a program given inside the copied directory
// (/app/run.sh or ./run.sh) is there and executable; a program elsewhere is
// the base's business.
func (b *builder) checkProgram(dir, prog string) error {
	rel, ok := "", false
	switch {
	case strings.HasPrefix(prog, "/"+b.dir+"/"):
		rel, ok = strings.TrimPrefix(path.Clean(prog), "/"+b.dir+"/"), true
	case strings.HasPrefix(prog, "./"):
		rel, ok = path.Clean(prog), true
	}
	if !ok || rel == "." || strings.HasPrefix(rel, "../") {
		return nil
	}
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return fmt.Errorf("the command %s is not in %s (%s is copied to /%s): fix --cmd or add the file", prog, dir, dir, b.dir)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("the command %s (%s) is not an executable file: chmod +x it, or run it with an interpreter from the base (--cmd 'python3 %s')",
			prog, filepath.Join(dir, rel), prog)
	}
	return nil
}
