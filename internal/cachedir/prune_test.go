package cachedir

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
)

func TestPrune(t *testing.T) {
	cur := repo.ParsedCacheDir()
	// What the standard tree always loses: stale temporaries and the
	// foreign parsed version.
	always := []string{"parsed/v1.0", cur + "/cc/.tmp-1", "layers/ff/.tmp-2", "tmp/stale"}
	old := []string{"sha256/aa/aa01", cur + "/cc/cc03", "layers/ff/ff07"}
	tests := []struct {
		desc        string
		opts        []Option
		wantRemoved []string
		wantBytes   int64
		dry         bool
	}{
		{"default: unused for 30 days", nil, append(slices.Clone(always), old...), 100 + 30 + 110 + 1010 + 5 + 310 + 7, false},
		{"unused for 36h", []Option{WithUnusedFor(36 * time.Hour)}, append(append(slices.Clone(always), old...), "layers/ff/ff08"), 100 + 30 + 110 + 1010 + 2010 + 5 + 310 + 7, false},
		{"unused for 0: every entry, but fresh temporaries stay", []Option{WithUnusedFor(0)},
			append(append(slices.Clone(always), old...), "sha256/bb/bb02", cur+"/dd/dd04", "layers/ff/ff08"), 3830 - 8, false},
		{"all", []Option{WithAll(true)},
			append(append(slices.Clone(always), old...), "sha256/bb/bb02", cur+"/dd/dd04", "layers/ff/ff08", "tmp/fresh"), 3830, false},
		{"dry run removes nothing", []Option{WithDryRun(true)}, append(slices.Clone(always), old...), 100 + 30 + 110 + 1010 + 5 + 310 + 7, true},
		{"dry run of all removes nothing", []Option{WithAll(true), WithDryRun(true)},
			append(append(slices.Clone(always), old...), "sha256/bb/bb02", cur+"/dd/dd04", "layers/ff/ff08", "tmp/fresh"), 3830, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			tr, outside := standard(t)
			before := listing(t, tr.root)
			outBefore := listing(t, outside)
			res, err := Prune(t.Context(), tr.root, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range res.Areas {
				got = append(got, a.Paths...)
			}
			want := make([]string, len(tt.wantRemoved))
			for i, p := range tt.wantRemoved {
				want[i] = filepath.FromSlash(p)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("removed\n  %v\nwant\n  %v", got, want)
			}
			if res.Bytes != tt.wantBytes || res.DryRun != tt.dry {
				t.Errorf("freed %d bytes (dry run %v), want %d (%v)", res.Bytes, res.DryRun, tt.wantBytes, tt.dry)
			}
			if !slices.Equal(outBefore, listing(t, outside)) {
				t.Fatal("pruning changed files outside the cache, through a symlink")
			}
			if tt.dry {
				if !slices.Equal(before, listing(t, tr.root)) {
					t.Error("a dry run changed the cache")
				}
				return
			}
			for _, p := range want {
				if exists(filepath.Join(tr.root, p)) {
					t.Errorf("%s is still there", p)
				}
			}
			// Everything else is, symlinks and unknown files too.
			for _, line := range before {
				p := strings.Fields(line)[0]
				if p != "." && !removedWith(p, want) && !exists(filepath.Join(tr.root, p)) {
					t.Errorf("%s was removed", p)
				}
			}
			// Nothing is left behind in tmp/ but what was kept there.
			ents, _ := os.ReadDir(filepath.Join(tr.root, "tmp"))
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), "prune-") {
					t.Errorf("tmp/%s left behind", e.Name())
				}
			}
			// A second prune finds nothing more to do.
			again, err := Prune(t.Context(), tr.root, tt.opts...)
			if err != nil || again.Entries != 0 {
				t.Errorf("second prune: %d entries, %v; want none", again.Entries, err)
			}
		})
	}
}

// removedWith reports whether p is one of removed or lies under one.
func removedWith(p string, removed []string) bool {
	for _, r := range removed {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func TestPruneCountsPerArea(t *testing.T) {
	tr, _ := standard(t)
	res, err := Prune(t.Context(), tr.root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Area][2]int64{ // entries, bytes
		Downloads:   {1, 100},
		Parsed:      {1, 30},
		ParsedOther: {2, 110},
		Layers:      {1, 1010},
		Temp:        {3, 5 + 310 + 7},
	}
	for _, a := range res.Areas {
		if w := want[a.Area]; int64(a.Entries) != w[0] || a.Bytes != w[1] {
			t.Errorf("%s: %d entries, %d bytes; want %d, %d", a.Area, a.Entries, a.Bytes, w[0], w[1])
		}
	}
}

func TestPruneRefuses(t *testing.T) {
	tests := []struct {
		desc  string
		setup func(t *testing.T, dir string) string // returns the directory to prune
	}{
		{"a home-like directory", func(t *testing.T, dir string) string {
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
			os.Mkdir(filepath.Join(dir, "tmp"), 0o755)
			os.WriteFile(filepath.Join(dir, "tmp", "old"), []byte("mine"), 0o644)
			return dir
		}},
		{"an empty directory", func(t *testing.T, dir string) string { return dir }},
		{"a file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "file")
			os.WriteFile(p, []byte("mine"), 0o644)
			return p
		}},
		{"a directory whose areas are symlinks", func(t *testing.T, dir string) string {
			elsewhere := t.TempDir()
			os.Mkdir(filepath.Join(elsewhere, "aa"), 0o755)
			os.WriteFile(filepath.Join(elsewhere, "aa", "aa01"), []byte("mine"), 0o644)
			os.Symlink(elsewhere, filepath.Join(dir, "sha256"))
			return dir
		}},
		{"a missing directory", func(t *testing.T, dir string) string { return filepath.Join(dir, "nope") }},
		{"no directory", func(t *testing.T, dir string) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			base := t.TempDir()
			dir := tt.setup(t, base)
			old := time.Now().Add(-400 * day)
			filepath.Walk(base, func(p string, _ os.FileInfo, _ error) error { os.Chtimes(p, old, old); return nil })
			before := listing(t, base)
			_, err := Prune(t.Context(), dir, WithAll(true))
			if err == nil {
				t.Fatal("no error")
			}
			if dir != "" && !strings.Contains(err.Error(), dir) {
				t.Errorf("the error does not name %s: %v", dir, err)
			}
			if _, merr := Measure(t.Context(), dir); merr == nil {
				t.Error("Measure accepted it")
			}
			if !slices.Equal(before, listing(t, base)) {
				t.Error("a refused directory was changed")
			}
			if tt.desc != "a missing directory" && !errors.Is(err, ErrNotCache) {
				t.Errorf("err = %v, want ErrNotCache", err)
			}
		})
	}
}

func TestPruneRejectsNegativeAge(t *testing.T) {
	tr, _ := standard(t)
	if _, err := Prune(t.Context(), tr.root, WithUnusedFor(-time.Hour)); err == nil {
		t.Error("no error for a negative duration")
	}
}
