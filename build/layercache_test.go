package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLayerCache(t *testing.T) {
	r := fixtureRepo(t)
	dir := t.TempDir()
	s := writeSpec(t, dir, r, fixtureSpec)
	cache := testCache(t)
	build := func(opts ...Option) *Result {
		t.Helper()
		res, err := Golden(context.Background(), s, append([]Option{WithCache(cache)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cachedAll := func(res *Result) bool {
		for _, im := range res.Images {
			if !im.Cached {
				return false
			}
		}
		return true
	}
	first := build()
	if first.Images[0].Cached {
		t.Fatal("the first build claims cached layers")
	}
	second := build()
	if !cachedAll(second) || second.IndexDigest != first.IndexDigest {
		t.Fatalf("second build: cached %+v, digest %s, want cached and %s", second.Images, second.IndexDigest, first.IndexDigest)
	}
	uncached := build(WithLayerCache(false))
	if uncached.Images[0].Cached || uncached.IndexDigest != first.IndexDigest {
		t.Errorf("without the layer cache: cached %v, digest %s", uncached.Images[0].Cached, uncached.IndexDigest)
	}

	// A corrupt blob is not used: the layers are rebuilt, then cached again.
	blobs, _ := filepath.Glob(filepath.Join(cache.Dir(), "layers", "*", "*", strings.TrimPrefix(first.Images[0].Layers[0].Digest, "sha256:")))
	if len(blobs) != 1 {
		t.Fatalf("cached blobs of the first layer: %v", blobs)
	}
	b, err := os.ReadFile(blobs[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(blobs[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	third := build()
	if third.IndexDigest != first.IndexDigest || third.Images[0].Cached || !third.Images[1].Cached {
		t.Errorf("after corrupting amd64's cache: digest %s, cached amd64 %v arm64 %v", third.IndexDigest, third.Images[0].Cached, third.Images[1].Cached)
	}
	if fourth := build(); !cachedAll(fourth) {
		t.Error("the rebuilt entry was not cached again")
	}

	// Anything the layers are made of changes the key.
	s2 := writeSpec(t, dir, r, fixtureSpec+"files:\n  - {src: keyring.gpg, dst: /etc/keyring.gpg}\n")
	res, err := Golden(context.Background(), s2, WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if res.Images[0].Cached || res.IndexDigest == first.IndexDigest {
		t.Errorf("a changed spec reused the cache: %+v", res.Images[0])
	}
}
