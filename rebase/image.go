package rebase

import (
	"context"
	"fmt"
	"maps"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/image"
)

// Image returns orig rebased from oldBase onto newBase, and the Change it
// made; orig and the bases are not modified. oldBase may be nil (the
// lineage says which layers are the base's). The result's layers are the
// new base's layer objects followed by orig's own, so that writing it to a
// registry mounts them rather than uploading them (see Write). If orig is
// already on newBase, orig itself is returned with Change.Unchanged set.
// Refusals are as for Plan.
func Image(ctx context.Context, orig, oldBase, newBase v1.Image, opts ...Option) (v1.Image, *Change, error) {
	c, err := check(ctx, orig, oldBase, newBase, makeOptions(opts))
	if err != nil {
		return nil, nil, err
	}
	if c.change.Unchanged {
		c.change.NewDigest = c.change.OldDigest
		return orig, c.change, nil
	}
	img, err := c.build()
	if err != nil {
		return nil, nil, fmt.Errorf("rebasing %s (%s): %w", c.change.OldDigest, c.change.Platform, err)
	}
	d, err := img.Digest()
	if err != nil {
		return nil, nil, fmt.Errorf("computing the rebased image's digest: %w", err)
	}
	c.change.NewDigest = d.String()
	return img, c.change, nil
}

func (c *checked) build() (v1.Image, error) {
	n := c.change.OldBase.Layers
	baseLayers, err := c.newBase.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the new base's layers: %w", err)
	}
	origLayers, err := c.orig.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the image's layers: %w", err)
	}
	if len(baseLayers) != len(c.newMan.Layers) || len(origLayers) != len(c.origMan.Layers) {
		return nil, fmt.Errorf("layers and manifest disagree (the image or the new base is malformed)")
	}
	lin := c.newLineage()
	adds := make([]mutate.Addendum, 0, len(baseLayers)+len(origLayers)-n)
	for i, l := range baseLayers {
		adds = append(adds, mutate.Addendum{Layer: l, Annotations: maps.Clone(c.newMan.Layers[i].Annotations)})
	}
	for i := n; i < len(origLayers); i++ {
		adds = append(adds, mutate.Addendum{Layer: origLayers[i], Annotations: maps.Clone(c.origMan.Layers[i].Annotations)})
	}

	img := mutate.MediaType(empty.Image, c.origMan.MediaType)
	img = mutate.ConfigMediaType(img, c.origMan.Config.MediaType)
	img, err = mutate.Append(img, adds...)
	if err != nil {
		return nil, fmt.Errorf("stacking the layers: %w", err)
	}
	cf := c.newConfig(lin)
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, fmt.Errorf("writing the config: %w", err)
	}

	ann := maps.Clone(c.origMan.Annotations)
	if ann == nil {
		ann = map[string]string{}
	}
	if c.newBaseName != "" {
		ann[image.AnnotationBaseName] = c.newBaseName
	}
	ann[image.AnnotationBaseDigest] = c.newBaseDigst
	ann[image.AnnotationLayers] = encode(lin.Layers)
	if _, ok := ann[image.AnnotationCreated]; ok && !cf.Created.IsZero() {
		ann[image.AnnotationCreated] = cf.Created.UTC().Format(time.RFC3339)
	}
	out, ok := mutate.Annotations(img, ann).(v1.Image)
	if !ok {
		return nil, fmt.Errorf("annotating the manifest: unexpected type")
	}
	return out, nil
}

// newLineage is the rebased image's lineage: the new base's layer records
// marked base, then the app's own.
func (c *checked) newLineage() *image.Lineage {
	lin := &image.Lineage{BaseName: c.newBaseName, BaseDigest: c.newBaseDigst}
	if c.lin != nil {
		lin.SpecDigest, lin.LockDigest = c.lin.SpecDigest, c.lin.LockDigest
	}
	ids := c.newCF.RootFS.DiffIDs
	var recs []image.LayerRecord
	if c.newLin != nil && lineageMatches(c.newLin, ids) {
		recs = c.newLin.Layers
	}
	for i, id := range ids {
		r := image.LayerRecord{Name: fmt.Sprintf("base-%d", i), DiffID: id.String(), Base: true}
		if recs != nil {
			r.Name, r.Owner, r.Packages = recs[i].Name, recs[i].Owner, recs[i].Packages
		}
		lin.Layers = append(lin.Layers, r)
	}
	n := c.change.OldBase.Layers
	for i, id := range c.origCF.RootFS.DiffIDs[n:] {
		r := image.LayerRecord{Name: fmt.Sprintf("layer-%d", n+i), DiffID: id.String()}
		if c.lin != nil {
			r = c.lin.Layers[n+i]
			r.Base = false
		}
		lin.Layers = append(lin.Layers, r)
	}
	return lin
}
