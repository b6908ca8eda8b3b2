package image

import (
	"errors"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Index builds an OCI image index of images, in the given order, with each
// descriptor's platform taken from the image's config. The index carries
// ann (without the per-platform layer record), created being the latest
// config creation time of the images.
func Index(images []v1.Image, ann Annotations) (v1.ImageIndex, error) {
	if len(images) == 0 {
		return nil, errors.New("building image index: no images given")
	}
	var created time.Time
	seen := map[string]int{}
	adds := make([]mutate.IndexAddendum, 0, len(images))
	for i, img := range images {
		cf, err := img.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("building image index: reading config of image %d: %w", i, err)
		}
		p := cf.Platform()
		if p == nil || p.Architecture == "" {
			return nil, fmt.Errorf("building image index: image %d has no architecture in its config", i)
		}
		if j, dup := seen[p.String()]; dup {
			return nil, fmt.Errorf("building image index: images %d and %d are both for %s; give one image per platform", j, i, p)
		}
		seen[p.String()] = i
		if cf.Created.After(created) {
			created = cf.Created.Time
		}
		mt, err := img.MediaType()
		if err != nil {
			return nil, fmt.Errorf("building image index: reading media type of image %d: %w", i, err)
		}
		if mt != types.OCIManifestSchema1 {
			return nil, fmt.Errorf("building image index: image %d (%s) has media type %s, want %s", i, p, mt, types.OCIManifestSchema1)
		}
		adds = append(adds, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: p},
		})
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	idx = mutate.AppendManifests(idx, adds...)
	idx, ok := mutate.Annotations(idx, ann.toMap(created)).(v1.ImageIndex)
	if !ok {
		return nil, errors.New("building image index: annotating index: unexpected type")
	}
	return idx, nil
}
