package update

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/internal/ref"
	"github.com/ingot-dev/ingot/inventory"
)

// Target is one image Fleet rebases: a tag of a repository (every platform
// of it), as the inventory knows it.
type Target struct {
	// Image is what is rebased: "repository:tag", or "repository@digest"
	// for an image that has no tag.
	Image string `json:"image"`
	// OldDigest is the index digest (or the manifest digest of a
	// single-platform image) the inventory has for Image.
	OldDigest string   `json:"oldDigest"`
	Platforms []string `json:"platforms,omitempty"`
	// Depth is 1 for an image built on the golden base, 2 for an image
	// built on such an image, and so on (inventory.Dependent.Depth). Fleet
	// rebases depth by depth; 0 counts as 1.
	Depth int `json:"depth,omitempty"`
	// Base is, from depth 2 on, the image Image is built on, as its lineage
	// names it ("repository:tag", without a digest).
	Base string `json:"base,omitempty"`
	// Via is, from depth 2 on, the build of Base that Image is on: its
	// index digest, or its manifest digest when it is a single image.
	Via string `json:"via,omitempty"`
	// BaseDigests are the digests of the base builds Image is on (per
	// platform: inventory.Dependent.Via).
	BaseDigests []string `json:"baseDigests,omitempty"`
	// CVEs are the CVEs moving Image to the new base closes; Targets
	// leaves them empty for the caller to fill (see LockUpdate.TargetCVEs).
	CVEs []string `json:"cves,omitempty"`
	// Skip says why Fleet leaves the image alone: "already on the new
	// base", "no tag". "" means rebase it.
	Skip string `json:"skip,omitempty"`
}

// Skip reasons.
const (
	SkipOnNewBase = "already on the new base"
	SkipNoTag     = "no tag points at it (an earlier build; nothing to move)"
	SkipMixedBase = "its platforms are on different builds of its base; rebase it with ingot rebase --onto"
)

// Targets returns the images of the inventory built on any build of base
// (a repository, as in a spec's name), one per repository and tag, sorted by
// depth, then image: the images built directly on a build of base (depth 1),
// then the images built on those (depth 2, with Base and Via naming the
// image and build they are on), and so on.
//
// An image is marked SkipOnNewBase when every platform of it is on a build
// whose digest is in current (the new base's index and platform manifest
// digests) or, from depth 2 on, on an image that is itself on the new base;
// images no tag points at any more (earlier builds of an app, or the images
// a rebase replaced) SkipNoTag; an image whose platforms are on different
// builds of its base SkipMixedBase.
func Targets(ctx context.Context, store *inventory.Store, base string, current []string) ([]Target, error) {
	deps, err := store.Dependents(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("finding the images built on %s in the inventory %s: %w", base, store.Location(), err)
	}
	onNew := onNewBase(deps, current)
	// Images by digest, to find what a deeper image is built on.
	byDigest := map[string][]inventory.Image{}
	for _, d := range deps {
		byDigest[d.Image.Digest] = append(byDigest[d.Image.Digest], d.Image)
		if d.Image.IndexDigest != "" {
			byDigest[d.Image.IndexDigest] = append(byDigest[d.Image.IndexDigest], d.Image)
		}
	}
	byKey := map[string]*Target{}
	mixed := map[string]bool{}
	var keys []string
	add := func(key string, d inventory.Dependent) {
		im := d.Image
		t := byKey[key]
		if t == nil {
			t = &Target{Image: key, OldDigest: cmp.Or(im.IndexDigest, im.Digest)}
			byKey[key] = t
			keys = append(keys, key)
		}
		t.Depth = max(t.Depth, d.Depth)
		if im.Platform != "" && !slices.Contains(t.Platforms, im.Platform) {
			t.Platforms = append(t.Platforms, im.Platform)
		}
		if im.BaseDigest != "" && !slices.Contains(t.BaseDigests, im.BaseDigest) {
			t.BaseDigests = append(t.BaseDigests, im.BaseDigest)
		}
		if d.Depth < 2 {
			return
		}
		name, via := builtOn(im, byDigest[d.Via])
		if t.Base == "" {
			t.Base, t.Via = name, via
		} else if t.Via != via {
			mixed[key] = true
		}
	}
	for _, d := range deps {
		if len(d.Image.Tags) == 0 {
			add(d.Image.Repository+"@"+cmp.Or(d.Image.IndexDigest, d.Image.Digest), d)
			continue
		}
		for _, tag := range d.Image.Tags {
			add(d.Image.Repository+":"+tag, d)
		}
	}
	out := make([]Target, 0, len(keys))
	for _, k := range keys {
		t := byKey[k]
		switch {
		case len(t.BaseDigests) > 0 && !slices.ContainsFunc(t.BaseDigests, func(d string) bool { return !onNew[d] }):
			t.Skip = SkipOnNewBase
		case t.Image == "" || !ref.HasTag(t.Image):
			t.Skip = SkipNoTag
		case mixed[k]:
			t.Skip = SkipMixedBase
		}
		slices.Sort(t.Platforms)
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Target) int {
		return cmp.Or(cmp.Compare(max(a.Depth, 1), max(b.Depth, 1)), cmp.Compare(a.Image, b.Image))
	})
	return out, nil
}

// onNewBase returns the digests of the builds that are on the new base:
// current, the platform images whose base build is, and the indexes whose
// every platform is, depth by depth (deps are ordered by depth).
func onNewBase(deps []inventory.Dependent, current []string) map[string]bool {
	on := map[string]bool{}
	for _, d := range current {
		on[d] = true
	}
	for start := 0; start < len(deps); {
		end := start + 1
		for end < len(deps) && deps[end].Depth == deps[start].Depth {
			end++
		}
		// An index is on the new base when every platform of it is.
		index := map[string]bool{}
		for _, d := range deps[start:end] {
			ok := d.Image.BaseDigest != "" && on[d.Image.BaseDigest]
			if ok {
				on[d.Image.Digest] = true
			}
			if d.Image.IndexDigest != "" {
				k := d.Image.Repository + "@" + d.Image.IndexDigest
				if prev, seen := index[k]; seen {
					ok = ok && prev
				}
				index[k] = ok
			}
		}
		for k, ok := range index {
			if ok {
				on[k[strings.LastIndex(k, "@")+1:]] = true
			}
		}
		start = end
	}
	return on
}

// builtOn returns the image im is built on, as its lineage names it
// (without a digest), and the digest of that build: its index digest, or
// its manifest digest when it is a single image. parents are the images
// of the inventory whose digest or index digest is im's base digest.
func builtOn(im inventory.Image, parents []inventory.Image) (name, via string) {
	name, via = ref.StripDigest(im.BaseName), im.BaseDigest
	repo := ref.Repository(name)
	i := slices.IndexFunc(parents, func(p inventory.Image) bool { return repo == "" || p.Repository == repo })
	if i < 0 {
		return name, via
	}
	p := parents[i]
	if p.Digest == im.BaseDigest && p.IndexDigest != "" {
		via = p.IndexDigest
	}
	return cmp.Or(name, p.Repository), via
}
