package app

import (
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// assemble puts out on top of base: the base's layers as they are (marked
// Base in the lineage, with the base's names and owners), then out's
// layers encoded at epoch and owned by owner.
func assemble(p v1.Platform, base Base, out *Output, cfg image.Config, epoch time.Time, owner string, ann image.Annotations) (v1.Image, error) {
	bl, err := base.Image.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the layers of base %s: %w", base.Name, err)
	}
	var records []image.LayerRecord
	if base.Lineage != nil && len(base.Lineage.Layers) == len(bl) {
		records = base.Lineage.Layers
	}
	diffIDs := base.Config.RootFS.DiffIDs
	if len(diffIDs) != len(bl) {
		return nil, fmt.Errorf("base %s (%s) has %d layers but its config lists %d diffIDs: the base image is malformed", base.Name, base.Digest, len(bl), len(diffIDs))
	}
	layers := make([]image.LayerInfo, 0, len(bl)+len(out.Layers))
	for i, l := range bl {
		if _, remote := l.(*remote.MountableLayer); !remote {
			// A registry layer knows its diffID already, and must stay a
			// MountableLayer so that a push mounts it from the base's
			// repository instead of uploading it.
			l = baseLayer{l, diffIDs[i]}
		}
		li := image.LayerInfo{Layer: l, Name: fmt.Sprintf("base-%d", i), Base: true}
		if records != nil {
			li.Name, li.Owner, li.Packages = records[i].Name, records[i].Owner, records[i].Packages
		}
		layers = append(layers, li)
	}
	for _, ol := range out.Layers {
		if ol.Name == "" {
			return nil, fmt.Errorf("the builder returned a layer without a name")
		}
		l := ol.Prebuilt
		if l == nil {
			if l, err = EncodeLayer(ol.Entries, epoch); err != nil {
				return nil, fmt.Errorf("encoding the %s layer: %w", ol.Name, err)
			}
		}
		layers = append(layers, image.LayerInfo{Layer: l, Name: ol.Name, Owner: owner, Packages: ol.Packages})
	}
	return image.Assemble(p, layers, cfg, epoch, ann)
}

// EncodeLayer encodes entries as a reproducible gzip layer with every mtime
// at epoch, as the assembly does; builders that cache a layer between
// platforms (Layer.Prebuilt) use it to get the same bytes.
func EncodeLayer(entries []layer.Entry, epoch time.Time) (v1.Layer, error) {
	b := layer.NewBuilder(layer.WithEpoch(epoch))
	if err := b.Add("application", entries...); err != nil {
		return nil, err
	}
	return b.Layer()
}

// baseLayer is a layer of the base with its diffID from the base's config,
// so that assembling never decompresses a base layer to compute it (an OCI
// layout does not record diffIDs with its blobs). The blob itself is passed
// through untouched.
type baseLayer struct {
	v1.Layer
	diffID v1.Hash
}

var _ v1.Layer = baseLayer{}

func (l baseLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }
