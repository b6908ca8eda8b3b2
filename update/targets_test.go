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
		doc := &sbom.Document{Image: sbom.Image{Name: repo, Digest: dg(digest), Platform: platform, BaseName: baseName, BaseDigest: dg(baseDigest),
			// The inventory wants at least one layer (it panics on none).
			Layers: []sbom.Layer{{DiffID: dg(1000 + digest), Digest: dg(2000 + digest), Name: "app"}}}}
		ref := inventory.ImageRef{Repository: repo, Tags: tags}
		if index != 0 {
			ref.IndexDigest = dg(index)
		}
		if err := store.PutImage(ctx, doc, ref); err != nil {
			t.Fatal(err)
		}
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
	}
	if len(got) != len(want) {
		t.Fatalf("Targets = %+v\nwant %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		slices.Sort(g.BaseDigests)
		if g.Image != w.Image || g.OldDigest != w.OldDigest || g.Skip != w.Skip ||
			!slices.Equal(g.Platforms, w.Platforms) || !slices.Equal(g.BaseDigests, w.BaseDigests) {
			t.Errorf("target %d = %+v\nwant %+v", i, g, w)
		}
	}
}

func TestHasTag(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		want bool
	}{
		{"registry.test/apps/web:1", true},
		{"127.0.0.1:5000/apps/web:1", true},
		{"127.0.0.1:5000/apps/web", false},
		{"registry.test/apps/web@" + dg(1), false},
		{"web", false},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			if got := hasTag(tc.ref); got != tc.want {
				t.Errorf("hasTag(%q) = %v, want %v", tc.ref, got, tc.want)
			}
		})
	}
}
