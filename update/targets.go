package update

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

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
	// BaseDigests are the digests of the base builds Image is on.
	BaseDigests []string `json:"baseDigests,omitempty"`
	// CVEs are the CVEs moving Image to the new base closes; Targets
	// leaves them empty for the caller to fill (see LockUpdate.CVEs).
	CVEs []string `json:"cves,omitempty"`
	// Skip says why Fleet leaves the image alone: "already on the new
	// base", "no tag". "" means rebase it.
	Skip string `json:"skip,omitempty"`
}

// Skip reasons.
const (
	SkipOnNewBase = "already on the new base"
	SkipNoTag     = "no tag points at it (an earlier build; nothing to move)"
)

// Targets returns the images of the inventory built directly on any build of
// base (a repository, as in a spec's name), one per repository and tag, sorted.
// Images on a build whose digest is in current (the new base's index and
// platform manifest digests) are marked SkipOnNewBase; images no tag points
// at any more (earlier builds of an app, or the images a rebase replaced)
// SkipNoTag.
func Targets(ctx context.Context, store *inventory.Store, base string, current []string) ([]Target, error) {
	deps, err := store.Dependents(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("finding the images built on %s in the inventory %s: %w", base, store.Location(), err)
	}
	byKey := map[string]*Target{}
	var keys []string
	add := func(key string, im inventory.Image) {
		t := byKey[key]
		if t == nil {
			t = &Target{Image: key, OldDigest: cmp.Or(im.IndexDigest, im.Digest)}
			byKey[key] = t
			keys = append(keys, key)
		}
		if im.Platform != "" && !slices.Contains(t.Platforms, im.Platform) {
			t.Platforms = append(t.Platforms, im.Platform)
		}
		if im.BaseDigest != "" && !slices.Contains(t.BaseDigests, im.BaseDigest) {
			t.BaseDigests = append(t.BaseDigests, im.BaseDigest)
		}
	}
	for _, d := range deps {
		if d.Depth != 1 {
			continue // images on an app: rebased when their own base is
		}
		if len(d.Image.Tags) == 0 {
			add(d.Image.Repository+"@"+cmp.Or(d.Image.IndexDigest, d.Image.Digest), d.Image)
			continue
		}
		for _, tag := range d.Image.Tags {
			add(d.Image.Repository+":"+tag, d.Image)
		}
	}
	out := make([]Target, 0, len(keys))
	for _, k := range keys {
		t := byKey[k]
		switch {
		case len(t.BaseDigests) > 0 && !slices.ContainsFunc(t.BaseDigests, func(d string) bool { return !slices.Contains(current, d) }):
			t.Skip = SkipOnNewBase
		case t.Image == "" || !hasTag(t.Image):
			t.Skip = SkipNoTag
		}
		slices.Sort(t.Platforms)
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Target) int { return cmp.Compare(a.Image, b.Image) })
	return out, nil
}

// hasTag reports whether ref is "repository:tag" rather than
// "repository@digest".
func hasTag(ref string) bool {
	if strings.Contains(ref, "@") {
		return false
	}
	slash := strings.LastIndex(ref, "/")
	return strings.LastIndex(ref, ":") > slash
}
