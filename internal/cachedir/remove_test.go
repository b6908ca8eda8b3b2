package cachedir

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testRemover removes what was last used over a day ago.
func testRemover(root string) *remover {
	return &remover{
		root: root, log: slog.New(slog.DiscardHandler), removeAll: os.RemoveAll,
		recheck: func(_ *unit, used time.Time) bool { return time.Since(used) > day },
	}
}

// A layer entry whose removal is interrupted is gone from layers/ all the
// same: it was renamed aside first, so no reader finds half of it.
func TestRemoveInterruptedLeavesNoHalfEntry(t *testing.T) {
	tr := newTree(t)
	tr.layer("layers/ff/ff07", 100, 40*day)
	r := testRemover(tr.root)
	r.removeAll = func(path string) error {
		os.Remove(filepath.Join(path, "0123abcd"))
		return errors.New("killed")
	}
	removed, err := r.remove(&unit{area: Layers, rel: filepath.FromSlash("layers/ff/ff07"), dir: true})
	if err == nil || !removed {
		t.Fatalf("removed %v, err %v; want the interruption reported", removed, err)
	}
	if exists(filepath.Join(tr.root, "layers/ff/ff07")) {
		t.Fatal("half an entry is left in layers/")
	}
	left, _ := filepath.Glob(filepath.Join(tr.root, "tmp", "prune-*", "*"))
	if len(left) != 1 {
		t.Fatalf("what is left of the entry should wait in tmp/: %v", left)
	}
	// The leftovers are a temporary: removed once stale.
	old := time.Now().Add(-2 * day)
	os.Chtimes(filepath.Dir(left[0]), old, old)
	if _, err := Prune(t.Context(), tr.root); err != nil {
		t.Fatal(err)
	}
	if rest, _ := os.ReadDir(filepath.Join(tr.root, "tmp")); len(rest) != 0 {
		t.Errorf("tmp/ still holds %v", rest)
	}
}

// With tmp/ a symlink out of the cache, nothing is renamed into it: the
// entry is removed in place, image.json first.
func TestRemoveTmpSymlink(t *testing.T) {
	tr := newTree(t)
	tr.layer("layers/ff/ff07", 100, 40*day)
	outside := t.TempDir()
	tr.symlink("tmp", outside)
	var order []string
	r := testRemover(tr.root)
	r.removeAll = func(path string) error {
		ents, _ := os.ReadDir(path)
		for _, e := range ents {
			order = append(order, e.Name())
		}
		return os.RemoveAll(path)
	}
	if _, err := r.remove(&unit{area: Layers, rel: filepath.FromSlash("layers/ff/ff07"), dir: true}); err != nil {
		t.Fatal(err)
	}
	r.close()
	if exists(filepath.Join(tr.root, "layers/ff/ff07")) {
		t.Error("entry kept")
	}
	if slices.Contains(order, "image.json") {
		t.Error("image.json was not removed first")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("something was moved out of the cache, through tmp/: %v", ents)
	}
}

func TestRemoveRechecks(t *testing.T) {
	tests := []struct {
		desc  string
		setup func(tr *tree)
		u     unit
	}{
		{"a file used since the walk", func(tr *tree) { tr.file("sha256/aa/aa01", 1, time.Minute) }, unit{area: Downloads, rel: "sha256/aa/aa01"}},
		{"an entry used since the walk", func(tr *tree) { tr.layer("layers/ff/ff07", 1, time.Minute) }, unit{area: Layers, rel: "layers/ff/ff07", dir: true}},
		{"a file replaced by a symlink", func(tr *tree) { tr.symlink("sha256/aa/aa01", "/etc/hostname") }, unit{area: Downloads, rel: "sha256/aa/aa01"}},
		{"a file replaced by a directory", func(tr *tree) { tr.layer("sha256/aa/aa01", 1, 40*day) }, unit{area: Downloads, rel: "sha256/aa/aa01"}},
		{"an entry directory replaced by a symlink", func(tr *tree) { tr.symlink("layers/ff/ff07", "/etc") }, unit{area: Layers, rel: "layers/ff/ff07", dir: true}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			tr := newTree(t)
			tt.setup(tr)
			u := tt.u
			u.rel = filepath.FromSlash(u.rel)
			removed, err := testRemover(tr.root).remove(&u)
			if err != nil || removed {
				t.Errorf("removed %v, err %v; want it kept", removed, err)
			}
			if !exists(filepath.Join(tr.root, u.rel)) {
				t.Error("it is gone")
			}
		})
	}
	t.Run("an entry gone already", func(t *testing.T) {
		tr := newTree(t)
		removed, err := testRemover(tr.root).remove(&unit{area: Layers, rel: filepath.FromSlash("layers/ff/ff07"), dir: true})
		if err != nil || removed {
			t.Errorf("removed %v, err %v; want nothing", removed, err)
		}
	})
}

func TestRemoveRefusesOutside(t *testing.T) {
	tr := newTree(t)
	victim := filepath.Join(filepath.Dir(tr.root), "victim-"+filepath.Base(tr.root))
	if err := os.WriteFile(victim, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(victim)
	old := time.Now().Add(-40 * day)
	os.Chtimes(victim, old, old)
	for _, rel := range []string{"../" + filepath.Base(victim), ".", ""} {
		_, err := testRemover(tr.root).remove(&unit{area: Downloads, rel: rel})
		if err == nil || !strings.Contains(err.Error(), "outside the cache") {
			t.Errorf("%q: err = %v, want a refusal", rel, err)
		}
	}
	if !exists(victim) || !exists(tr.root) {
		t.Error("removed something outside the cache")
	}
}
