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
	"github.com/ingot-dev/ingot/debian/fetch"
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
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	dst := filepath.Join(shared, "base-"+name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(root, "examples", name))); err != nil {
		return nil, err
	}
	s, err := spec.Load(filepath.Join(dst, "ingot.yaml"))
	if err != nil {
		return nil, err
	}
	cacheDir, err := fetch.DefaultDir()
	if err != nil {
		return nil, err
	}
	cache, err := fetch.New(cacheDir)
	if err != nil {
		return nil, err
	}
	res, err := build.Golden(ctx, s, build.WithCache(cache), build.WithArchitectures(archs...), build.WithoutInventory())
	if err != nil {
		return nil, fmt.Errorf("building examples/%s: %w", name, err)
	}
	if res.LockWritten {
		return nil, errors.New("the committed lock of examples/" + name + " does not match its spec")
	}
	return &app.BaseIndex{Name: s.Name, Index: res.Index}, nil
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
