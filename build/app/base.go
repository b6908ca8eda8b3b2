package app

import (
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/source"
)

// BaseIndex is a base image as the user named it, with all its platforms.
type BaseIndex struct {
	// Name is recorded as org.opencontainers.image.base.name: a registry
	// reference, or what the user gave for a layout or a spec.
	Name  string
	Index v1.ImageIndex
}

// OpenBase opens the base ref (a registry reference, an OCI layout or a
// docker tarball; see image/source).
func OpenBase(ctx context.Context, ref string, opts ...source.Option) (*BaseIndex, error) {
	idx, err := source.Index(ctx, ref, opts...)
	if err != nil {
		return nil, fmt.Errorf("opening the base image %s: %w", ref, err)
	}
	return &BaseIndex{Name: ref, Index: idx}, nil
}

// bases returns the base's image for every platform of its index, in index
// order. Entries without a platform or for an unknown one (attestations)
// are skipped.
func (b *BaseIndex) bases() ([]Base, error) {
	if b == nil || b.Index == nil {
		return nil, errors.New("no base image given: name one with --base (a registry reference, an OCI layout or a spec)")
	}
	idxDigest, err := b.Index.Digest()
	if err != nil {
		return nil, fmt.Errorf("reading the digest of base %s: %w", b.Name, err)
	}
	m, err := b.Index.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the index of base %s: %w", b.Name, err)
	}
	var out []Base
	for _, d := range m.Manifests {
		if !d.MediaType.IsImage() || (d.Platform != nil && (d.Platform.OS == "unknown" || d.Platform.Architecture == "unknown")) {
			continue
		}
		img, err := b.Index.Image(d.Digest)
		if err != nil {
			return nil, fmt.Errorf("opening image %s of base %s: %w", d.Digest, b.Name, err)
		}
		cf, err := img.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("reading the config of image %s of base %s: %w", d.Digest, b.Name, err)
		}
		lin, err := image.ReadLineage(img)
		if errors.Is(err, image.ErrNoLineage) {
			lin, err = nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the lineage of base %s: %w", b.Name, err)
		}
		out = append(out, Base{
			Name: b.Name, Digest: d.Digest, IndexDigest: idxDigest,
			Image: img, Config: cf, Lineage: lin,
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("base %s has no image for any platform", b.Name)
	}
	return out, nil
}

// platform is the platform of a base image, from its config.
func (b Base) platform() (v1.Platform, error) {
	p := b.Config.Platform()
	if p == nil || p.Architecture == "" {
		return v1.Platform{}, fmt.Errorf("base image %s has no architecture in its config", b.Digest)
	}
	return image.NormalizePlatform(*p), nil
}
