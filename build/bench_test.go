package build

import (
	"path/filepath"
	"testing"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// BenchmarkGoldenBase builds examples/base for amd64 from its lock with a
// warm download cache (the first iteration fills it): what bench/build.sh
// calls ingot's warm build, without process start-up and layout writing.
func BenchmarkGoldenBase(b *testing.B) {
	testenv.RequireNetwork(b)
	s, err := spec.Load(copyExample(b, "base", filepath.Join(b.TempDir(), "base")))
	if err != nil {
		b.Fatal(err)
	}
	cache := userCache(b)
	for b.Loop() {
		if _, err := Golden(b.Context(), s, WithCache(cache), WithArchitectures("amd64")); err != nil {
			b.Fatal(err)
		}
	}
}
