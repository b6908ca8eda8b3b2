package cachedir

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
)

func TestMeasure(t *testing.T) {
	tr, outside := standard(t)
	before := listing(t, tr.root)
	outBefore := listing(t, outside)
	r, err := Measure(t.Context(), tr.root)
	if err != nil {
		t.Fatal(err)
	}
	at := func(age time.Duration) time.Time { return tr.now.Add(-age) }
	want := []Usage{
		{Downloads, filepath.Join(tr.root, "sha256"), 2, 300, at(40 * day), at(time.Hour)},
		{Parsed, filepath.Join(tr.root, repo.ParsedCacheDir()), 2, 70, at(40 * day), at(0)},
		{ParsedOther, filepath.Join(tr.root, "parsed"), 2, 110, at(50 * day), at(0)},
		{Layers, filepath.Join(tr.root, "layers"), 2, 1010 + 2010, at(40 * day), at(2 * day)},
		// tmp/stale, tmp/fresh, and the .tmp-* beside parsed and layer entries
		{Temp, filepath.Join(tr.root, "tmp"), 4, 7 + 8 + 5 + 310, at(2 * day), at(time.Minute)},
	}
	if len(r.Areas) != len(want) {
		t.Fatalf("%d areas, want %d: %+v", len(r.Areas), len(want), r.Areas)
	}
	for i, w := range want {
		t.Run(string(w.Area), func(t *testing.T) {
			g := r.Areas[i]
			if g.Area != w.Area || g.Path != w.Path || g.Entries != w.Entries || g.Bytes != w.Bytes || !g.Oldest.Equal(w.Oldest) || !g.Newest.Equal(w.Newest) {
				t.Errorf("got  %+v\nwant %+v", g, w)
			}
		})
	}
	if r.Entries != 12 || r.Bytes != 3830 || r.Dir != tr.root {
		t.Errorf("totals: %d entries, %d bytes in %s; want 12, 3830 in %s", r.Entries, r.Bytes, r.Dir, tr.root)
	}
	if !slices.Equal(before, listing(t, tr.root)) || !slices.Equal(outBefore, listing(t, outside)) {
		t.Error("Measure changed the cache or what its symlinks point to")
	}
}

func TestMeasureEmptyAreas(t *testing.T) {
	tr := newTree(t)
	tr.file("layers/.keep", 0, 0) // only layers/ exists, with no entry
	r, err := Measure(t.Context(), tr.root)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range r.Areas {
		if u.Entries != 0 || u.Bytes != 0 || !u.Oldest.IsZero() || !u.Newest.IsZero() {
			t.Errorf("%s: %+v, want empty", u.Area, u)
		}
	}
}
