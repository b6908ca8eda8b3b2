package source

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Index opens ref as an image index. A single image (a docker tarball, a
// registry manifest, a layout entry) is wrapped in a one-entry index whose
// descriptor carries the platform from the image's config.
func Index(ctx context.Context, ref string, opts ...Option) (v1.ImageIndex, error) {
	o := makeOptions(opts)
	n, err := open(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	if n.idx != nil {
		return n.idx, nil
	}
	cf, err := n.img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the config of %s: %w", ref, err)
	}
	desc, err := partialDescriptor(n.img)
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", ref, err)
	}
	desc.Platform = cf.Platform()
	return mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: n.img, Descriptor: desc}), nil
}

func partialDescriptor(img v1.Image) (v1.Descriptor, error) {
	mt, err := img.MediaType()
	if err != nil {
		return v1.Descriptor{}, err
	}
	d, err := img.Digest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	sz, err := img.Size()
	if err != nil {
		return v1.Descriptor{}, err
	}
	return v1.Descriptor{MediaType: mt, Digest: d, Size: sz}, nil
}
