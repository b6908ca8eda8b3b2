package rebase

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

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
		adds = append(adds, mutate.Addendum{Layer: described(l, c.newMan, c.newCF, i), Annotations: maps.Clone(c.newMan.Layers[i].Annotations)})
	}
	for i := n; i < len(origLayers); i++ {
		adds = append(adds, mutate.Addendum{Layer: described(origLayers[i], c.origMan, c.origCF, i), Annotations: maps.Clone(c.origMan.Layers[i].Annotations)})
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

// describedLayer is layer i of an image whose manifest and config were
// read already: its descriptor and diffID come from them. A registry's
// layers in go-containerregistry parse the image's manifest (and config,
// for the diffID) again for each of these answers, which for a fleet of
// thousands of images was a good part of the rebase's CPU. The bytes, never
// read by a rebase (layers are mounted), still come from the layer.
type describedLayer struct {
	v1.Layer
	desc   v1.Descriptor
	diffID v1.Hash
}

// described returns layer i of the image with manifest m and config cf as
// a describedLayer, or l itself when m and cf do not agree on the layers.
func described(l v1.Layer, m *v1.Manifest, cf *v1.ConfigFile, i int) v1.Layer {
	if m == nil || cf == nil || len(m.Layers) != len(cf.RootFS.DiffIDs) || i >= len(m.Layers) {
		return l
	}
	return describedLayer{Layer: l, desc: m.Layers[i], diffID: cf.RootFS.DiffIDs[i]}
}

func (l describedLayer) Digest() (v1.Hash, error)            { return l.desc.Digest, nil }
func (l describedLayer) DiffID() (v1.Hash, error)            { return l.diffID, nil }
func (l describedLayer) Size() (int64, error)                { return l.desc.Size, nil }
func (l describedLayer) MediaType() (types.MediaType, error) { return l.desc.MediaType, nil }

// Descriptor is the layer's descriptor in its manifest, as a registry's
// layer gives it (URLs of a non-distributable layer included).
func (l describedLayer) Descriptor() (*v1.Descriptor, error) {
	d := l.desc
	d.Annotations = maps.Clone(d.Annotations)
	d.URLs = slices.Clone(d.URLs)
	return &d, nil
}
