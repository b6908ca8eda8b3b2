package repo

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParsedCacheDir(t *testing.T) {
	c, cache := newTestClient(t)
	dir := ParsedCacheDir()
	if !strings.HasPrefix(dir, "parsed"+string(filepath.Separator)+"v") {
		t.Fatalf("ParsedCacheDir() = %q, want parsed/v<format>.<parser>", dir)
	}
	sum := strings.Repeat("ab", 32)
	if p := c.parsedPath(sum); p != filepath.Join(cache.Dir(), dir, "ab", sum) {
		t.Errorf("an entry is at %s, not under ParsedCacheDir %s", p, dir)
	}
}

// A parsed-index hit records the entry's last use, so pruning keeps it.
func TestParsedCacheHitRecordsUse(t *testing.T) {
	r := archive(t)
	c, cache := newTestClient(t)
	snapshotOf(t, c, r)
	_, _, path := mainEntry(t, c, r)
	old := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	snapshotOf(t, New(cache), r)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if age := time.Since(st.ModTime()); age > time.Hour {
		t.Errorf("after a hit the entry is dated %v ago, want now", age)
	}
}

// An entry removed by a prune is a miss: the index is parsed again and the
// entry written anew.
func TestParsedCachePrunedEntry(t *testing.T) {
	r := archive(t)
	fresh, _ := newTestClient(t, WithParsedIndexCache(false))
	want := snapshotOf(t, fresh, r)
	c, cache := newTestClient(t)
	snapshotOf(t, c, r)
	sum, data, path := mainEntry(t, c, r)
	if err := os.RemoveAll(filepath.Join(cache.Dir(), "parsed")); err != nil {
		t.Fatal(err)
	}
	warm := New(cache)
	if got := snapshotOf(t, warm, r); !reflect.DeepEqual(got, want) {
		t.Fatal("packages differ from a fresh parse after the parsed cache was pruned")
	}
	if _, err := warm.loadParsed(sum, data, "bookworm", "main"); err != nil {
		t.Errorf("entry %s not written again: %v", path, err)
	}
}
