package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/cachedir"
)

// cacheTree is a small cache directory: an old and a fresh download, a
// fresh parsed index, one of another ingot version, an old layer entry.
func cacheTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	old := time.Now().Add(-40 * 24 * time.Hour)
	for _, f := range []struct {
		rel  string
		size int
		old  bool
	}{
		{"sha256/aa/aa01", 100, true},
		{"sha256/bb/bb02", 200, false},
		{repo.ParsedCacheDir() + "/cc/cc03", 30, false},
		{"parsed/v0.1/dd/dd04", 40, false},
		{"layers/ee/ee05/image.json", 10, true},
		{"layers/ee/ee05/0123", 1000, true},
	} {
		p := filepath.Join(root, f.rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, f.size), 0o644); err != nil {
			t.Fatal(err)
		}
		if f.old {
			os.Chtimes(p, old, old)
		}
	}
	os.Chtimes(filepath.Join(root, "layers/ee/ee05"), old, old)
	return root
}

func TestCacheDuJSON(t *testing.T) {
	root := cacheTree(t)
	t.Setenv("INGOT_CACHE_DIR", root) // the default --cache-dir
	out, err := runIngot(t, "cache", "du", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var r cachedir.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	got := map[cachedir.Area][2]int64{}
	for _, a := range r.Areas {
		got[a.Area] = [2]int64{int64(a.Entries), a.Bytes}
	}
	want := map[cachedir.Area][2]int64{
		cachedir.Downloads: {2, 300}, cachedir.Parsed: {1, 30}, cachedir.ParsedOther: {1, 40},
		cachedir.Layers: {1, 1010}, cachedir.Temp: {0, 0},
	}
	if r.Dir != root || len(r.Areas) != len(want) {
		t.Fatalf("dir %s, %d areas; want %s, %d", r.Dir, len(r.Areas), root, len(want))
	}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s: entries, bytes %v, want %v", a, got[a], w)
		}
	}
	if !strings.Contains(out, `"oldestUse"`) {
		t.Errorf("no last use in %s", out)
	}
}

func TestCacheDuText(t *testing.T) {
	root := cacheTree(t)
	out, err := runIngot(t, "cache", "du", "--cache-dir", root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cache " + root, "sha256", "parsed-other", "layers", "40 days ago", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestCachePrune(t *testing.T) {
	tests := []struct {
		desc string
		args []string
		want []string // removed, relative
		dry  bool
	}{
		{"dry run", []string{"--dry-run"}, []string{"layers/ee/ee05", "parsed/v0.1", "sha256/aa/aa01"}, true},
		{"default age", nil, []string{"layers/ee/ee05", "parsed/v0.1", "sha256/aa/aa01"}, false},
		{"in days", []string{"--unused-for", "50d"}, []string{"parsed/v0.1"}, false},
		{"all, dry", []string{"--all", "--dry-run"}, []string{"layers/ee/ee05", "parsed/v0.1", repo.ParsedCacheDir() + "/cc/cc03", "sha256/aa/aa01", "sha256/bb/bb02"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			root := cacheTree(t)
			out, err := runIngot(t, append([]string{"cache", "prune", "--cache-dir", root, "-o", "json"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			var res pruneOutput
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v in %s", err, out)
			}
			var got []string
			for _, a := range res.Areas {
				for _, p := range a.Paths {
					got = append(got, filepath.ToSlash(p))
				}
			}
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) || res.DryRun != tt.dry {
				t.Errorf("removed %v (dry run %v), want %v (%v)", got, res.DryRun, tt.want, tt.dry)
			}
			for _, p := range tt.want {
				if _, err := os.Lstat(filepath.Join(root, p)); (err == nil) != tt.dry {
					t.Errorf("%s: exists %v after a prune with dry run %v", p, err == nil, tt.dry)
				}
			}
		})
	}
}

func TestCachePruneText(t *testing.T) {
	root := cacheTree(t)
	out, err := runIngot(t, "cache", "prune", "--cache-dir", root, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"would remove from " + root, "unused for 720h0m0s", "parsed-other", "would free 1.1 KiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestCachePruneBadInput(t *testing.T) {
	notCache := t.TempDir()
	os.WriteFile(filepath.Join(notCache, "notes.txt"), []byte("mine"), 0o644)
	tests := []struct {
		desc    string
		args    []string
		wantErr string
	}{
		{"not a cache", []string{"--cache-dir", notCache, "--all"}, notCache},
		{"all and unused-for", []string{"--cache-dir", cacheTree(t), "--all", "--unused-for", "1h"}, "not both"},
		{"bad duration", []string{"--cache-dir", cacheTree(t), "--unused-for", "soon"}, "30d"},
		{"negative duration", []string{"--cache-dir", cacheTree(t), "--unused-for", "-1h"}, "720h"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := runIngot(t, append([]string{"cache", "prune"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(notCache, "notes.txt")); err != nil {
		t.Error("a refused directory lost a file")
	}
}

func TestDaysFlag(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30d", 30 * 24 * time.Hour, true},
		{"1.5d", 36 * time.Hour, true},
		{"720h", 720 * time.Hour, true},
		{"0", 0, true},
		{"d", 0, false},
		{"-2d", 0, false},
		{"soon", 0, false},
		{"1e308d", 0, false},
		{"NaNd", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d days
			err := d.Set(tt.in)
			if (err == nil) != tt.ok || (tt.ok && time.Duration(d) != tt.want) {
				t.Errorf("Set(%q) = %v, %v; want %v, ok %v", tt.in, time.Duration(d), err, tt.want, tt.ok)
			}
		})
	}
}

// FuzzDaysFlag: any text is a non-negative duration or an error.
func FuzzDaysFlag(f *testing.F) {
	for _, s := range []string{"30d", "1.5d", "720h", "-1d", "1e308d", "NaNd", "d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d days
		if err := d.Set(s); err == nil && d < 0 {
			t.Errorf("Set(%q) = %v, negative", s, time.Duration(d))
		}
	})
}
