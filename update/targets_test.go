package update

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

func dg(n int) string { return fmt.Sprintf("sha256:%064x", n) }

func TestTargets(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	const base = "registry.test/golden/base"
	put := func(repo string, digest, index int, platform, baseName string, baseDigest int, tags ...string) {
		t.Helper()
		putImage(t, store, repo, digest, index, platform, baseName, baseDigest, tags...)
	}
	// Build 1 of the base is 100 (index) with 101, 102; build 2 is 200 with 201, 202.
	put("registry.test/apps/web", 1, 10, "linux/amd64", base+":latest", 101, "1", "stable")
	put("registry.test/apps/web", 2, 10, "linux/arm64/v8", base+":latest", 102, "1", "stable")
	put("registry.test/apps/api", 3, 0, "linux/amd64", base+":latest", 201, "2")
	put("registry.test/apps/api", 4, 0, "linux/amd64", base+":latest", 101)
	put("registry.test/apps/other", 5, 0, "linux/amd64", "registry.test/golden/python:1", 301, "1")
	put("registry.test/apps/child", 6, 0, "linux/amd64", "registry.test/apps/web:1", 1, "1")

	got, err := Targets(ctx, store, base, []string{dg(200), dg(201), dg(202)})
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{
		{Image: "registry.test/apps/api:2", OldDigest: dg(3), Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(201)}, Skip: SkipOnNewBase},
		{Image: "registry.test/apps/api@" + dg(4), OldDigest: dg(4), Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(101)}, Skip: SkipNoTag},
		{Image: "registry.test/apps/web:1", OldDigest: dg(10), Platforms: []string{"linux/amd64", "linux/arm64/v8"}, BaseDigests: []string{dg(101), dg(102)}},
		{Image: "registry.test/apps/web:stable", OldDigest: dg(10), Platforms: []string{"linux/amd64", "linux/arm64/v8"}, BaseDigests: []string{dg(101), dg(102)}},
		// Built on web:1: after it, depth by depth.
		{Image: "registry.test/apps/child:1", OldDigest: dg(6), Platforms: []string{"linux/amd64"}, BaseDigests: []string{dg(1)}, Depth: 2, Base: "registry.test/apps/web:1", Via: dg(10)},
	}
	if len(got) != len(want) {
		t.Fatalf("Targets = %+v\nwant %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		slices.Sort(g.BaseDigests)
		if g.Image != w.Image || g.OldDigest != w.OldDigest || g.Skip != w.Skip || g.Depth != max(w.Depth, 1) || g.Base != w.Base || g.Via != w.Via ||
			!slices.Equal(g.Platforms, w.Platforms) || !slices.Equal(g.BaseDigests, w.BaseDigests) {
			t.Errorf("target %d = %+v\nwant %+v", i, g, w)
		}
	}
}

// putImage records platform image digest of repo (in index, unless 0) on
// base build baseDigest in store.
func putImage(t *testing.T, store *inventory.Store, repo string, digest, index int, platform, baseName string, baseDigest int, tags ...string) {
	t.Helper()
	doc := &sbom.Document{Image: sbom.Image{Name: repo, Digest: dg(digest), Platform: platform, BaseName: baseName, BaseDigest: dg(baseDigest),
		// The inventory wants at least one layer (it panics on none).
		Layers: []sbom.Layer{{DiffID: dg(1000 + digest), Digest: dg(2000 + digest), Name: "app"}}}}
	ref := inventory.ImageRef{Repository: repo, Tags: tags}
	if index != 0 {
		ref.IndexDigest = dg(index)
	}
	if err := store.PutImage(context.Background(), doc, ref); err != nil {
		t.Fatal(err)
	}
}

// TestTargetsDeeper: images built on images built on the base are targets
// too, depth by depth, with the image and build they are on.
func TestTargetsDeeper(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	const base = "registry.test/golden/base"
	put := func(repo string, digest, index int, platform, baseName string, baseDigest int, tags ...string) {
		t.Helper()
		putImage(t, store, repo, digest, index, platform, baseName, baseDigest, tags...)
	}
	const web, worker = "registry.test/apps/web", "registry.test/apps/worker"
	// Build 1 of the base is 100 (index) with 101, 102; build 2 is 200 with 201, 202.
	put(web, 1, 10, "linux/amd64", base+":latest", 101, "1")
	put(web, 2, 10, "linux/arm64/v8", base+":latest", 102, "1")
	put(web, 41, 40, "linux/amd64", base+":latest", 201, "2")
	// worker:1 is on web:1 (each platform on web's), cron:1 on worker:1.
	put(worker, 21, 20, "linux/amd64", web+":1", 1, "1")
	put(worker, 22, 20, "linux/arm64/v8", web+":1", 2, "1")
	put("registry.test/apps/cron", 31, 0, "linux/amd64", worker+":1@"+dg(21), 21, "1")
	// job:1 is on web:2, which is on build 2: on the new base already.
	put("registry.test/apps/job", 51, 0, "linux/amd64", web+":2", 41, "1")
	// mixed:1 has a platform on web:1 and one on web:2.
	put("registry.test/apps/mixed", 61, 60, "linux/amd64", web+":1", 1, "1")
	put("registry.test/apps/mixed", 62, 60, "linux/arm64/v8", web+":2", 41, "1")
	// An untagged earlier build of worker.
	put(worker, 71, 0, "linux/amd64", web+":1", 1)

	got, err := Targets(ctx, store, base, []string{dg(200), dg(201), dg(202)})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		image     string
		depth     int
		base, via string
		old, skip string
		platforms int
	}
	want := []row{
		{image: web + ":1", depth: 1, old: dg(10), platforms: 2},
		{image: web + ":2", depth: 1, old: dg(40), skip: SkipOnNewBase, platforms: 1},
		{image: "registry.test/apps/job:1", depth: 2, base: web + ":2", via: dg(40), old: dg(51), skip: SkipOnNewBase, platforms: 1},
		{image: "registry.test/apps/mixed:1", depth: 2, base: web + ":1", via: dg(10), old: dg(60), skip: SkipMixedBase, platforms: 2},
		{image: worker + ":1", depth: 2, base: web + ":1", via: dg(10), old: dg(20), platforms: 2},
		{image: worker + "@" + dg(71), depth: 2, base: web + ":1", via: dg(10), old: dg(71), skip: SkipNoTag, platforms: 1},
		{image: "registry.test/apps/cron:1", depth: 3, base: worker + ":1", via: dg(20), old: dg(31), platforms: 1},
	}
	var rows []row
	for _, g := range got {
		rows = append(rows, row{image: g.Image, depth: g.Depth, base: g.Base, via: g.Via, old: g.OldDigest, skip: g.Skip, platforms: len(g.Platforms)})
	}
	if !slices.Equal(rows, want) {
		t.Errorf("Targets:\n got %+v\nwant %+v", rows, want)
	}
	for _, g := range got {
		if g.Image == worker+":1" && !slices.Equal(slices.Sorted(slices.Values(g.BaseDigests)), []string{dg(1), dg(2)}) {
			t.Errorf("%s: base digests %v, want web:1's platforms", g.Image, g.BaseDigests)
		}
	}

	// Once web:1 and worker:1 are moved to the new base (their new builds
	// tagged), the rest follows: cron:1 is still on the old worker.
	put(web, 3, 11, "linux/amd64", base+":latest", 201, "1")
	put(web, 4, 11, "linux/arm64/v8", base+":latest", 202, "1")
	put(worker, 23, 24, "linux/amd64", web+":1@"+dg(11), 3, "1")
	put(worker, 25, 24, "linux/arm64/v8", web+":1@"+dg(11), 4, "1")
	got, err = Targets(ctx, store, base, []string{dg(200), dg(201), dg(202)})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, g := range got {
		status[g.Image] = g.Skip
	}
	for img, skip := range map[string]string{
		web + ":1": SkipOnNewBase, worker + ":1": SkipOnNewBase, web + "@" + dg(10): SkipNoTag,
		worker + "@" + dg(20): SkipNoTag, "registry.test/apps/cron:1": "",
	} {
		if s, ok := status[img]; !ok || s != skip {
			t.Errorf("after the move, %s: skip %q (listed %v), want %q", img, s, ok, skip)
		}
	}
}
