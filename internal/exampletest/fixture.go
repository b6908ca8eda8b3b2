package exampletest

import (
	"sync"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// Fixture is a golden base and an application built on it, shared by the
// tests of a test binary: the first Get builds both, later ones return them.
type Fixture struct {
	Example string                    // the base is examples/<Example>
	Archs   []string                  // built for these architectures
	Tools   []string                  // programs the application build needs on $PATH
	App     func(t testing.TB) string // returns the application's directory; called once
	Options []app.Option              // for app.Build

	once sync.Once
	base *app.BaseIndex
	res  *app.Result
	err  error
}

// Get returns the base and the application, building them on the first
// call. It needs the network and f.Tools (skipping, or failing in CI); a
// failed build fails every test that asks.
func (f *Fixture) Get(t *testing.T) (*app.BaseIndex, *app.Result) {
	t.Helper()
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, f.Tools...)
	f.once.Do(func() {
		f.base, f.err = GoldenBase(t.Context(), f.Example, f.Archs...)
		if f.err != nil {
			return
		}
		f.res, f.err = app.Build(t.Context(), f.App(t), f.base, f.Options...)
	})
	if f.err != nil {
		t.Fatalf("building the shared fixtures: %v", f.err)
	}
	return f.base, f.res
}
