package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/internal/debtest"
)

func TestLayerEpochs(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC) }
	p := func(name string, mt time.Time) *pkg {
		return &pkg{meta: &debian.Package{Name: name}, archive: &deb.Archive{ModTime: mt}}
	}
	pkgs := []*pkg{p("base-files", day(3)), p("libc6", day(10)), p("libssl3", day(7)), p("tzdata", day(1))}
	layerOf := map[string]int{"base-files": 0, "libc6": 0, "tzdata": 0, "libssl3": 1}
	tests := []struct {
		desc  string
		n     int
		epoch time.Time
		want  []time.Time
	}{
		{"each layer its newest package", 2, day(20), []time.Time{day(10), day(7)}},
		{"clamped to the build's epoch", 2, day(8), []time.Time{day(8), day(7)}},
		{"a layer without packages is dated 0", 3, day(20), []time.Time{day(10), day(7), time.Unix(0, 0).UTC()}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := layerEpochs(tt.n, pkgs, layerOf, tt.epoch)
			if !slices.EqualFunc(got, tt.want, time.Time.Equal) {
				t.Errorf("layerEpochs = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestGoldenBaseUpdate rebuilds a base as `ingot update` would: a lock
// refreshed with no package change moves only the system layer; a new
// version of one package moves only its layer and the system layer.
func TestGoldenBaseUpdate(t *testing.T) {
	r := fixtureRepo(t)
	build := func(dir string) *Result {
		t.Helper()
		res, err := golden(t, writeSpec(t, dir, r, fixtureSpec), WithArchitectures("amd64"))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	layerDigests := func(res *Result) map[string]string {
		out := map[string]string{}
		for _, l := range res.Images[0].Layers {
			out[l.Name] = l.Digest
		}
		return out
	}
	before := build(filepath.Join(t.TempDir(), "before"))

	// The same lock, refreshed a day later: only sourceDateEpoch moves.
	l, err := lock.ReadFile(before.Lockfile)
	if err != nil {
		t.Fatal(err)
	}
	l.SourceDateEpoch += 86400
	later := filepath.Join(t.TempDir(), "later")
	if err := os.MkdirAll(later, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := l.WriteFile(filepath.Join(later, "ingot.lock")); err != nil {
		t.Fatal(err)
	}
	epochOnly := build(later)
	if epochOnly.LockWritten || epochOnly.SourceDateEpoch != before.SourceDateEpoch+86400 {
		t.Fatalf("lock rewritten %v, epoch %d: the test did not build the edited lock", epochOnly.LockWritten, epochOnly.SourceDateEpoch)
	}

	// A security update of libssl3 (layer tls), published a day later.
	r.SetDate(debtest.DefaultDate.Add(24 * time.Hour))
	for _, arch := range []string{"amd64", "arm64"} {
		triplet := map[string]string{"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}[arch]
		r.Add("bookworm", "main", debtest.Deb{Name: "libssl3", Version: "3.0.17-1~deb12u3", Arch: arch, Source: "openssl",
			Control: map[string]string{"Depends": "libc6 (>= 2.34)"},
			Files:   []debtest.File{{Path: "./usr/lib/" + triplet + "/libssl.so.3", Body: []byte("libssl fixed " + arch)}}})
	}
	updated := build(filepath.Join(t.TempDir(), "updated"))
	if !updated.LockWritten || updated.SourceDateEpoch == before.SourceDateEpoch {
		t.Fatalf("lock written %v, epoch %d: the test did not lock the update", updated.LockWritten, updated.SourceDateEpoch)
	}

	b := layerDigests(before)
	if len(b) != 3 {
		t.Fatalf("layers %v, want os, tls, system", b)
	}
	tests := []struct {
		desc    string
		res     *Result
		changed []string
	}{
		{"epoch only: the system layer", epochOnly, []string{"system"}},
		{"libssl3 updated: tls and system", updated, []string{"tls", "system"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var changed []string
			for name, d := range layerDigests(tt.res) {
				if d != b[name] {
					changed = append(changed, name)
				}
			}
			slices.Sort(changed)
			if want := slices.Sorted(slices.Values(tt.changed)); !slices.Equal(changed, want) {
				t.Errorf("changed layers %v, want %v", changed, want)
			}
			if tt.res.Images[0].Digest == before.Images[0].Digest {
				t.Error("the manifest did not change")
			}
		})
	}
}
