package rebase

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/inventory"
)

// documentsOf returns what Remote wrote, for the inventory to keep: the
// index (if t is one), and each image's manifest and config.
func documentsOf(t remote.Taggable) ([]inventory.Document, error) {
	switch v := t.(type) {
	case v1.ImageIndex:
		d, err := inventory.IndexDocument(v)
		if err != nil {
			return nil, err
		}
		out := []inventory.Document{d}
		im, err := v.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("reading the rebased index: %w", err)
		}
		for _, m := range im.Manifests {
			if !m.MediaType.IsImage() {
				continue
			}
			img, err := v.Image(m.Digest)
			if err != nil {
				return nil, fmt.Errorf("reading %s of the rebased index: %w", m.Digest, err)
			}
			docs, err := inventory.ImageDocuments(img)
			if err != nil {
				return nil, fmt.Errorf("reading %s of the rebased index: %w", m.Digest, err)
			}
			out = append(out, docs...)
		}
		return out, nil
	case v1.Image:
		return inventory.ImageDocuments(v)
	}
	return nil, fmt.Errorf("%T is neither an image nor an index", t)
}
