package build

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/cachedir"
)

// layerEntries lists the layer-cache entry directories of cache.
func layerEntries(t *testing.T, cache *fetch.Cache) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(cache.Dir(), "layers", "??", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if st, err := os.Lstat(d); err == nil && st.IsDir() && filepath.Base(d)[0] != '.' {
			out = append(out, d)
		}
	}
	return out
}

func age(t *testing.T, d time.Duration, paths ...string) {
	t.Helper()
	mt := time.Now().Add(-d)
	for _, p := range paths {
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
}

// A layer-cache hit records the entry's last use.
func TestLayerCacheHitRecordsUse(t *testing.T) {
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec)
	cache := testCache(t)
	if _, err := Golden(t.Context(), s, WithCache(cache)); err != nil {
		t.Fatal(err)
	}
	entries := layerEntries(t, cache)
	if len(entries) != 2 { // amd64, arm64
		t.Fatalf("layer-cache entries %v, want one per architecture", entries)
	}
	age(t, 40*24*time.Hour, entries...)
	res, err := Golden(t.Context(), s, WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Images[0].Cached || !res.Images[1].Cached {
		t.Fatal("the second build missed the layer cache")
	}
	for _, e := range entries {
		st, err := os.Stat(e)
		if err != nil {
			t.Fatal(err)
		}
		if a := time.Since(st.ModTime()); a > time.Hour {
			t.Errorf("after a hit %s is dated %v ago, want now", e, a)
		}
	}
}

// A build whose layer entry was pruned, or half removed, builds the
// layers again, the same bytes, and caches them again.
func TestLayerCachePrunedEntry(t *testing.T) {
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec)
	tests := []struct {
		desc  string
		prune func(t *testing.T, cache *fetch.Cache, entry string)
	}{
		{"pruned as unused", func(t *testing.T, cache *fetch.Cache, entry string) {
			age(t, 40*24*time.Hour, entry)
			res, err := cachedir.Prune(t.Context(), cache.Dir())
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Areas[3]; got.Area != cachedir.Layers || got.Entries != 1 {
				t.Fatalf("prune removed %+v, want the one aged layer entry", got)
			}
		}},
		{"the whole cache pruned", func(t *testing.T, cache *fetch.Cache, _ string) {
			if _, err := cachedir.Prune(t.Context(), cache.Dir(), cachedir.WithAll(true)); err != nil {
				t.Fatal(err)
			}
		}},
		{"a blob removed, image.json left", func(t *testing.T, _ *fetch.Cache, entry string) {
			blobs, _ := filepath.Glob(filepath.Join(entry, "[0-9a-f]*"))
			if len(blobs) == 0 {
				t.Fatal("no blobs in the entry")
			}
			if err := os.Remove(blobs[len(blobs)-1]); err != nil {
				t.Fatal(err)
			}
		}},
		{"image.json removed, blobs left", func(t *testing.T, _ *fetch.Cache, entry string) {
			if err := os.Remove(filepath.Join(entry, "image.json")); err != nil {
				t.Fatal(err)
			}
		}},
	}
	var want string
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			cache := testCache(t)
			first, err := Golden(t.Context(), s, WithCache(cache), WithArchitectures("amd64"))
			if err != nil {
				t.Fatal(err)
			}
			if want == "" {
				want = first.IndexDigest
			}
			entries := layerEntries(t, cache)
			if len(entries) != 1 {
				t.Fatalf("layer-cache entries %v, want one", entries)
			}
			tt.prune(t, cache, entries[0])
			res, err := Golden(t.Context(), s, WithCache(cache), WithArchitectures("amd64"))
			if err != nil {
				t.Fatalf("build after the prune: %v", err)
			}
			if res.Images[0].Cached || res.IndexDigest != want {
				t.Errorf("after the prune: cached %v, digest %s; want rebuilt, %s", res.Images[0].Cached, res.IndexDigest, want)
			}
			again, err := Golden(t.Context(), s, WithCache(cache), WithArchitectures("amd64"))
			if err != nil || !again.Images[0].Cached {
				t.Errorf("the rebuilt entry was not cached again: %v", err)
			}
		})
	}
}

// Builds while another process prunes their layer entries (aged, so each
// prune takes whatever it finds) all succeed with the same digest: an
// entry pruned mid-load is a miss, never a half image.
func TestLayerCacheConcurrentPrune(t *testing.T) {
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec)
	cache := testCache(t)
	first, err := Golden(t.Context(), s, WithCache(cache), WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var pruned int
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, e := range layerEntries(t, cache) {
				mt := time.Now().Add(-40 * 24 * time.Hour)
				os.Chtimes(e, mt, mt)
			}
			res, err := cachedir.Prune(t.Context(), cache.Dir())
			if err != nil {
				t.Error(err)
				return
			}
			pruned += res.Areas[3].Entries
			time.Sleep(10 * time.Millisecond) // let some builds hit, so prunes land mid-load too
		}
	})
	var hits int
	for range 10 {
		res, err := Golden(t.Context(), s, WithCache(cache), WithArchitectures("amd64"))
		if err != nil {
			t.Errorf("build during prunes: %v", err)
			break
		}
		if res.IndexDigest != first.IndexDigest {
			t.Errorf("build during prunes: digest %s, want %s", res.IndexDigest, first.IndexDigest)
		}
		if res.Images[0].Cached {
			hits++
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d of 10 builds hit the layer cache; %d entries pruned", hits, pruned)
	if pruned == 0 {
		t.Error("no prune removed an entry: the test did not race them")
	}
}
