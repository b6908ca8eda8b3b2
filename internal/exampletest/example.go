package exampletest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// shared is the directory for what a test binary's tests share (golden
// bases, copies of applications); Main creates it and removes it.
var shared string

// Main is a TestMain body: it creates the test binary's shared directory
// (os.MkdirTemp with pattern), runs m, removes the directory and exits with
// m's code.
func Main(m *testing.M, pattern string) {
	var err error
	if shared, err = os.MkdirTemp("", pattern); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(shared)
	os.Exit(code)
}

// Dir returns the shared directory Main created.
func Dir() string { return shared }

var errNoMain = errors.New("exampletest: the test binary's TestMain must call exampletest.Main")

// GoldenBase builds examples/<name> for archs from its committed lock, in a
// copy under Dir, through the user's download cache. It fails if the lock
// no longer matches the spec. Builds take minutes: share the result (see
// Fixture).
func GoldenBase(ctx context.Context, name string, archs ...string) (*app.BaseIndex, error) {
	if shared == "" {
		return nil, errNoMain
	}
	res, err := Golden(ctx, filepath.Join(shared, "base-"+name), name, build.WithArchitectures(archs...))
	if err != nil {
		return nil, err
	}
	return &app.BaseIndex{Name: res.Name, Index: res.Index}, nil
}

// Golden builds examples/<name> from its committed lock in a copy under
// dir, through the user's download cache and without recording it in the
// inventory; opts add to that. It fails if the lock no longer matches the
// spec (run "ingot lock --update" on the example).
func Golden(ctx context.Context, dir, name string, opts ...build.Option) (*build.Result, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "examples", name))); err != nil {
		return nil, err
	}
	s, err := spec.Load(filepath.Join(dir, "ingot.yaml"))
	if err != nil {
		return nil, err
	}
	res, err := build.Golden(ctx, s, append([]build.Option{build.WithoutInventory()}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("building examples/%s: %w", name, err)
	}
	if res.LockWritten {
		return nil, errors.New("the committed lock of examples/" + name + " does not match its spec")
	}
	return res, nil
}

// Example builds examples/<name> in a fresh directory of t (see Golden),
// failing t on error. It checks testenv.RequireNetwork first.
func Example(t testing.TB, name string, opts ...build.Option) *build.Result {
	t.Helper()
	testenv.RequireNetwork(t)
	res, err := Golden(t.Context(), filepath.Join(t.TempDir(), name), name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// CopyApp copies testdata/apps/<name> to a fresh directory under Dir, so
// that tests can change it and build it from different paths.
func CopyApp(t testing.TB, name string) string {
	t.Helper()
	if shared == "" {
		t.Fatal(errNoMain)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.MkdirTemp(shared, name+"-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(root, "testdata", "apps", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// repoRoot is the nearest directory holding go.mod, from the test's working
// directory (its package's directory) up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's directory")
		}
		dir = parent
	}
}
