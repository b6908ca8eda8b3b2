package rebase

import (
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/ref"
)

// Change is what a rebase of one platform image does, or would do.
type Change struct {
	Platform string `json:"platform"` // "linux/amd64", "linux/arm64/v8"
	// Unchanged: the image already is on the new base; nothing to write.
	Unchanged bool     `json:"unchanged,omitempty"`
	OldBase   BaseInfo `json:"oldBase"`
	NewBase   BaseInfo `json:"newBase"`
	// AppLayers is the number of the image's own layers, kept as they are.
	AppLayers int `json:"appLayers"`
	// OldDigest is the image's manifest digest; NewDigest the rebased
	// image's (set by Image and Index, empty from Plan).
	OldDigest string      `json:"oldDigest"`
	NewDigest string      `json:"newDigest,omitempty"`
	Env       []EnvChange `json:"env,omitempty"`  // Env keys whose value changes
	User      *EnvChange  `json:"user,omitempty"` // set when the user changes
	Created   string      `json:"created,omitempty"`
	Warnings  []string    `json:"warnings,omitempty"`
}

// BaseInfo describes a base image as far as it is known.
type BaseInfo struct {
	Name   string `json:"name,omitempty"`   // as users name it; "" if unknown
	Digest string `json:"digest,omitempty"` // manifest digest; "" if unknown
	Title  string `json:"title,omitempty"`  // org.opencontainers.image.title
	Layers int    `json:"layers"`
}

// EnvChange is one config value the rebase changes. Old "" means added,
// New "" removed.
type EnvChange struct {
	Key string `json:"key"`
	Old string `json:"old"`
	New string `json:"new"`
}

// checked is a Plan with everything Image needs to build the result.
type checked struct {
	change       *Change
	orig         v1.Image
	newBase      v1.Image
	origCF       *v1.ConfigFile
	oldCF        *v1.ConfigFile // nil: old base known from the lineage only
	newCF        *v1.ConfigFile
	origMan      *v1.Manifest
	newMan       *v1.Manifest
	lin, newLin  *image.Lineage // nil when the image has none
	oldHistory   int            // history entries of the app that describe the old base
	newBaseName  string
	newBaseDigst string
}

// Plan checks that orig can be rebased from oldBase onto newBase and says
// what would change, without building anything. oldBase may be nil: the
// base layers are then the ones orig's lineage marks as base. A refusal
// wraps ErrNotOnBase (a *LayerError naming the first differing layer),
// ErrPlatform, ErrOtherBase or ErrNoOldBase. ctx is for symmetry with the
// I/O the images may do when read; the check itself does none.
func Plan(ctx context.Context, orig, oldBase, newBase v1.Image, opts ...Option) (*Change, error) {
	c, err := check(ctx, orig, oldBase, newBase, makeOptions(opts))
	if err != nil {
		return nil, err
	}
	if !c.change.Unchanged {
		c.newConfig(c.newLineage()) // fills in the Env, user and created changes
	}
	return c.change, nil
}

func check(ctx context.Context, orig, oldBase, newBase v1.Image, o *options) (*checked, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if orig == nil || newBase == nil {
		return nil, errors.New("planning a rebase: the image and the new base are required")
	}
	c := &checked{orig: orig, newBase: newBase, change: &Change{}}
	var err error
	if c.origCF, err = orig.ConfigFile(); err != nil {
		return nil, fmt.Errorf("reading the image's config: %w", err)
	}
	if c.origMan, err = orig.Manifest(); err != nil {
		return nil, fmt.Errorf("reading the image's manifest: %w", err)
	}
	if c.newCF, err = newBase.ConfigFile(); err != nil {
		return nil, fmt.Errorf("reading the new base's config: %w", err)
	}
	if c.newMan, err = newBase.Manifest(); err != nil {
		return nil, fmt.Errorf("reading the new base's manifest: %w", err)
	}
	d, err := orig.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the image's digest: %w", err)
	}
	c.change.OldDigest = d.String()
	c.change.Platform = platformString(c.origCF)
	if c.lin, err = image.ReadLineage(orig); err != nil {
		if !errors.Is(err, image.ErrNoLineage) {
			return nil, fmt.Errorf("reading the image's lineage: %w", err)
		}
		c.lin = nil
	}
	if c.newLin, err = image.ReadLineage(newBase); err != nil {
		if !errors.Is(err, image.ErrNoLineage) {
			return nil, fmt.Errorf("reading the new base's lineage: %w", err)
		}
		c.newLin = nil
	}
	appIDs := c.origCF.RootFS.DiffIDs
	if c.lin != nil && !lineageMatches(c.lin, appIDs) {
		c.change.Warnings = append(c.change.Warnings, "the image's lineage does not match its layers; it is ignored")
		c.lin = nil
	}

	// The old base: its diffIDs, name, digest.
	var baseIDs []v1.Hash
	ob := &c.change.OldBase
	ob.Name = o.oldName
	if ob.Name == "" && c.lin != nil {
		ob.Name = c.lin.BaseName
	}
	if ob.Name == "" {
		ob.Name = c.origMan.Annotations[image.AnnotationBaseName]
	}
	if oldBase != nil {
		if c.oldCF, err = oldBase.ConfigFile(); err != nil {
			return nil, fmt.Errorf("reading the old base's config: %w", err)
		}
		od, err := oldBase.Digest()
		if err != nil {
			return nil, fmt.Errorf("computing the old base's digest: %w", err)
		}
		ob.Digest = od.String()
		ob.Title = title(oldBase, c.oldCF)
		baseIDs = c.oldCF.RootFS.DiffIDs
		if err := samePlatform("old base", c.origCF, c.oldCF); err != nil {
			return nil, err
		}
		c.oldHistory = len(c.oldCF.History)
	} else {
		if c.lin == nil {
			return nil, fmt.Errorf("%w: the image has no ingot lineage saying which layers are its base's; name the old base (--old-base REF)", ErrNoOldBase)
		}
		for i, l := range c.lin.Layers {
			if !l.Base {
				break
			}
			h, err := v1.NewHash(l.DiffID)
			if err != nil {
				return nil, fmt.Errorf("reading the image's lineage: layer %d: %w", i, err)
			}
			baseIDs = append(baseIDs, h)
		}
		if len(baseIDs) == 0 {
			return nil, fmt.Errorf("%w: the image's lineage marks no base layers (it may be a golden base itself); name the old base (--old-base REF)", ErrNoOldBase)
		}
		ob.Digest = c.lin.BaseDigest
		c.change.Warnings = append(c.change.Warnings, "the old base's config is unknown (lineage only): the app keeps every Env value, user and label it has")
	}
	ob.Layers = len(baseIDs)
	for i, want := range baseIDs {
		if i >= len(appIDs) {
			return nil, fmt.Errorf("checking %s: %w", c.change.OldDigest, &LayerError{Index: i, Expected: want.String()})
		}
		if appIDs[i] != want {
			return nil, fmt.Errorf("checking %s: %w", c.change.OldDigest, &LayerError{Index: i, Expected: want.String(), Found: appIDs[i].String()})
		}
	}
	if len(appIDs) == len(baseIDs) {
		return nil, fmt.Errorf("%w: the image %s has no layers of its own on top of the old base; it is the base itself", ErrNotOnBase, c.change.OldDigest)
	}
	c.change.AppLayers = len(appIDs) - len(baseIDs)
	if oldBase == nil {
		c.oldHistory = baseHistory(c.origCF.History, len(baseIDs))
	}

	// The new base.
	if err := samePlatform("new base", c.origCF, c.newCF); err != nil {
		return nil, err
	}
	nd, err := newBase.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the new base's digest: %w", err)
	}
	nb := &c.change.NewBase
	nb.Digest, nb.Title, nb.Layers = nd.String(), title(newBase, c.newCF), len(c.newCF.RootFS.DiffIDs)
	nb.Name = o.newName
	c.newBaseName, c.newBaseDigst = nb.Name, nb.Digest
	if c.newBaseName == "" {
		c.newBaseName = ob.Name
	}
	if err := sameGolden(*ob, *nb); err != nil {
		if !o.force {
			return nil, err
		}
		c.change.Warnings = append(c.change.Warnings, "forced: "+err.Error())
	}
	if hashesEqual(baseIDs, c.newCF.RootFS.DiffIDs) {
		c.change.Unchanged = true
	}
	o.log.Debug("rebase planned", "image", c.change.OldDigest, "platform", c.change.Platform,
		"oldBaseLayers", ob.Layers, "newBaseLayers", nb.Layers, "unchanged", c.change.Unchanged)
	return c, nil
}

// lineageMatches reports whether the lineage describes exactly the layers.
func lineageMatches(l *image.Lineage, ids []v1.Hash) bool {
	if len(l.Layers) != len(ids) {
		return false
	}
	for i, r := range l.Layers {
		if r.DiffID != ids[i].String() {
			return false
		}
	}
	return true
}

// baseHistory returns how many history entries describe the first n
// layers: every entry up to the one of the n-th layer, and the empty-layer
// entries (ENV, CMD of the base) that follow it before the next layer.
func baseHistory(h []v1.History, n int) int {
	seen := 0
	for i, e := range h {
		if !e.EmptyLayer {
			if seen == n {
				return i
			}
			seen++
		}
	}
	if seen == n {
		return len(h)
	}
	return 0 // history does not describe the layers; keep it all
}

func hashesEqual(a, b []v1.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// title is the golden image's name: the manifest's or the config's
// org.opencontainers.image.title.
func title(img v1.Image, cf *v1.ConfigFile) string {
	if m, err := img.Manifest(); err == nil {
		if t := m.Annotations[image.AnnotationTitle]; t != "" {
			return t
		}
	}
	return cf.Config.Labels[image.AnnotationTitle]
}

// sameGolden checks that two bases are builds of one golden image: same
// title when both have one, else same repository.
func sameGolden(old, new BaseInfo) error {
	if old.Title != "" && new.Title != "" {
		if old.Title != new.Title {
			return fmt.Errorf("%w: the old base is %q, the new base is %q (pass --force to rebase onto another image)", ErrOtherBase, old.Title, new.Title)
		}
		return nil
	}
	or, nr := ref.Repository(old.Name), ref.Repository(new.Name)
	if or != "" && nr != "" {
		if or != nr {
			return fmt.Errorf("%w: the old base is from %s, the new base from %s and neither has a title (pass --force if it is the same image)", ErrOtherBase, or, nr)
		}
		return nil
	}
	return fmt.Errorf("%w: cannot tell: the bases have no org.opencontainers.image.title and no names to compare (name them, or pass --force)", ErrOtherBase)
}

func variant(cf *v1.ConfigFile) string {
	if cf.Architecture == "arm64" && cf.Variant == "" {
		return "v8"
	}
	return cf.Variant
}

func platformString(cf *v1.ConfigFile) string {
	s := cf.OS + "/" + cf.Architecture
	if v := variant(cf); v != "" {
		s += "/" + v
	}
	return s
}

func samePlatform(what string, app, base *v1.ConfigFile) error {
	if app.OS != base.OS || app.Architecture != base.Architecture || variant(app) != variant(base) {
		return fmt.Errorf("%w: the image is %s, the %s is %s; pick the %s build of the base", ErrPlatform, platformString(app), what, platformString(base), platformString(app))
	}
	return nil
}
