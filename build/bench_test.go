package build

import (
	"path/filepath"
	"testing"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// BenchmarkGoldenBase builds examples/base for amd64 from its lock with a
// warm download cache (the first iteration fills it) and no layer cache:
// every .deb is read and every layer encoded, as in bench/build.sh's "warm
// without the layer cache", without process start-up and layout writing.
func BenchmarkGoldenBase(b *testing.B) {
	testenv.RequireNetwork(b)
	s, err := spec.Load(copyExample(b, "base", filepath.Join(b.TempDir(), "base")))
	if err != nil {
		b.Fatal(err)
	}
	cache := userCache(b)
	for b.Loop() {
		if _, err := Golden(b.Context(), s, WithCache(cache), WithLayerCache(false), WithArchitectures("amd64")); err != nil {
			b.Fatal(err)
		}
	}
}
