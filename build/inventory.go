package build

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// Every build records what it built in the fleet inventory: each
// architecture's image with its SBOM's layers, owners and packages, the
// index digest and, when pushed, the tag. The documents are read back from
// the build's own CycloneDX SBOMs, so the inventory holds exactly what was
// published. A build whose recording fails still succeeds: the failure is
// logged, and "ingot inventory add" or "sync" can record the image later.

// WithInventory records the build in store (left open). Default: the
// inventory at inventory.DefaultLocation ($INGOT_DB, else the user's data
// directory), opened and closed by the build.
func WithInventory(store *inventory.Store) Option {
	return func(o *options) { o.inventory, o.noInventory = store, false }
}

// WithoutInventory does not record the build in any inventory. Default:
// recorded (see WithInventory).
func WithoutInventory() Option {
	return func(o *options) { o.inventory, o.noInventory = nil, true }
}

// recordInventory records res in the inventory o names, logging failures.
func recordInventory(ctx context.Context, s *spec.Spec, res *Result, o *options) {
	if o.noInventory {
		return
	}
	if err := putInventory(ctx, s, res, o); err != nil {
		o.log.Warn("could not record the build in the inventory (record it later with ingot inventory add)", "err", err)
	}
}

func putInventory(ctx context.Context, s *spec.Spec, res *Result, o *options) error {
	store := o.inventory
	if store == nil {
		st, err := inventory.Open(ctx, "", inventory.WithLogger(o.log))
		if err != nil {
			return err
		}
		defer st.Close()
		store = st
	}
	refStr := s.Name
	if o.tag != "" {
		refStr = o.tag
	}
	ref, err := name.ParseReference(refStr)
	if err != nil {
		return fmt.Errorf("image reference %q: %w", refStr, err)
	}
	r := inventory.ImageRef{Repository: ref.Context().Name(), IndexDigest: res.IndexDigest}
	if t, ok := ref.(name.Tag); ok && res.Pushed != "" {
		r.Tags = []string{t.TagStr()} // a tag moves only when pushed
	}
	puts := make([]inventory.Put, 0, len(res.Images))
	for i, img := range res.Images {
		doc, err := buildDocument(res, img)
		if err != nil {
			return err
		}
		doc.Image.Name, doc.Image.Tags = r.Repository, nil
		ref := r
		if res.Index != nil {
			if ref.Documents, err = buildDocuments(res.Index, img.Digest, i == 0); err != nil {
				return err
			}
		}
		puts = append(puts, inventory.Put{Doc: doc, Ref: ref})
	}
	return store.PutImages(ctx, puts)
}

// buildDocuments returns the manifest and config of the image digest in
// idx, and idx's own index when withIndex, for the inventory to keep.
func buildDocuments(idx v1.ImageIndex, digest string, withIndex bool) ([]inventory.Document, error) {
	h, err := v1.NewHash(digest)
	if err != nil {
		return nil, fmt.Errorf("recording the build: image digest %q: %w", digest, err)
	}
	img, err := idx.Image(h)
	if err != nil {
		return nil, fmt.Errorf("recording the build: reading image %s: %w", digest, err)
	}
	docs, err := inventory.ImageDocuments(img)
	if err != nil {
		return nil, fmt.Errorf("recording the build: image %s: %w", digest, err)
	}
	if withIndex {
		d, err := inventory.IndexDocument(idx)
		if err != nil {
			return nil, fmt.Errorf("recording the build: %w", err)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// buildDocument reads back the CycloneDX SBOM the build made of img and
// completes its layers' digests.
func buildDocument(res *Result, img ImageResult) (*sbom.Document, error) {
	for _, f := range res.SBOMs {
		if f.Arch != img.Arch || f.Format != "cyclonedx" {
			continue
		}
		doc, err := inventory.DocumentFromCycloneDX(f.Data)
		if err != nil {
			return nil, fmt.Errorf("reading back the %s SBOM: %w", img.Arch, err)
		}
		if doc.Image.Digest != img.Digest || len(doc.Image.Layers) != len(img.Layers) {
			return nil, fmt.Errorf("the %s SBOM describes %s with %d layers, the build made %s with %d", img.Arch, doc.Image.Digest, len(doc.Image.Layers), img.Digest, len(img.Layers))
		}
		for i, l := range img.Layers {
			doc.Image.Layers[i].Digest = l.Digest
			doc.Image.Layers[i].Owner = cmpOr(doc.Image.Layers[i].Owner, l.Owner)
		}
		return doc, nil
	}
	return nil, fmt.Errorf("the build made no CycloneDX SBOM of the %s image", img.Arch)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
