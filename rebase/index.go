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

// Index rebases every platform image of orig onto the image for the same
// platform in newBase, and returns the new index with one Change per
// platform, in orig's order. oldBase may be nil (each image's lineage says
// which layers are the base's). A platform that newBase (or oldBase) lacks
// is an error wrapping ErrPlatform that names it; any refusal refuses the
// whole index. The index keeps orig's annotations, with base.name and
// base.digest naming newBase's index.
func Index(ctx context.Context, orig, oldBase, newBase v1.ImageIndex, opts ...Option) (v1.ImageIndex, []*Change, error) {
	if orig == nil || newBase == nil {
		return nil, nil, fmt.Errorf("rebasing an index: the index and the new base are required")
	}
	im, err := orig.IndexManifest()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the index: %w", err)
	}
	var changes []*Change
	var adds []mutate.IndexAddendum
	for _, desc := range im.Manifests {
		if !desc.MediaType.IsImage() {
			return nil, nil, fmt.Errorf("rebasing the index: entry %s is a %s, not an image; only indexes of images can be rebased", desc.Digest, desc.MediaType)
		}
		img, err := orig.Image(desc.Digest)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the image %s of the index: %w", desc.Digest, err)
		}
		p, err := platformOf(img, desc)
		if err != nil {
			return nil, nil, err
		}
		nb, err := pick(newBase, p)
		if err != nil {
			return nil, nil, fmt.Errorf("finding %s in the new base: %w", platformKey(p), err)
		}
		var ob v1.Image
		if oldBase != nil {
			if ob, err = pick(oldBase, p); err != nil {
				return nil, nil, fmt.Errorf("finding %s in the old base: %w", platformKey(p), err)
			}
		}
		out, ch, err := Image(ctx, img, ob, nb, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("rebasing %s: %w", platformKey(p), err)
		}
		changes = append(changes, ch)
		nd := desc
		nd.Digest, nd.Size, nd.Data, nd.URLs = v1.Hash{}, 0, nil, nil
		nd.Annotations = maps.Clone(desc.Annotations)
		adds = append(adds, mutate.IndexAddendum{Add: out, Descriptor: nd})
	}
	if len(adds) == 0 {
		return nil, nil, fmt.Errorf("rebasing the index: it lists no images")
	}

	idx := mutate.IndexMediaType(empty.Index, im.MediaType)
	idx = mutate.AppendManifests(idx, adds...)
	ann := maps.Clone(im.Annotations)
	if ann == nil {
		ann = map[string]string{}
	}
	o := makeOptions(opts)
	if nn := o.newName; nn != "" {
		ann[image.AnnotationBaseName] = nn
	}
	if _, ok := ann[image.AnnotationBaseDigest]; ok || o.newName != "" {
		d, err := newBase.Digest()
		if err != nil {
			return nil, nil, fmt.Errorf("computing the new base's index digest: %w", err)
		}
		ann[image.AnnotationBaseDigest] = d.String()
	}
	if _, ok := ann[image.AnnotationCreated]; ok {
		var latest time.Time
		for _, ch := range changes {
			if t, err := time.Parse(time.RFC3339, ch.Created); err == nil && t.After(latest) {
				latest = t
			}
		}
		if !latest.IsZero() {
			ann[image.AnnotationCreated] = latest.UTC().Format(time.RFC3339)
		}
	}
	out, ok := mutate.Annotations(idx, ann).(v1.ImageIndex)
	if !ok {
		return nil, nil, fmt.Errorf("annotating the index: unexpected type")
	}
	return out, changes, nil
}

// PlanIndex is Plan for every platform of an index: it checks all of them
// and returns one Change per platform without building anything.
func PlanIndex(ctx context.Context, orig, oldBase, newBase v1.ImageIndex, opts ...Option) ([]*Change, error) {
	im, err := orig.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	var out []*Change
	for _, desc := range im.Manifests {
		if !desc.MediaType.IsImage() {
			return nil, fmt.Errorf("planning the rebase: index entry %s is a %s, not an image", desc.Digest, desc.MediaType)
		}
		img, err := orig.Image(desc.Digest)
		if err != nil {
			return nil, fmt.Errorf("reading the image %s of the index: %w", desc.Digest, err)
		}
		p, err := platformOf(img, desc)
		if err != nil {
			return nil, err
		}
		nb, err := pick(newBase, p)
		if err != nil {
			return nil, fmt.Errorf("finding %s in the new base: %w", platformKey(p), err)
		}
		var ob v1.Image
		if oldBase != nil {
			if ob, err = pick(oldBase, p); err != nil {
				return nil, fmt.Errorf("finding %s in the old base: %w", platformKey(p), err)
			}
		}
		ch, err := Plan(ctx, img, ob, nb, opts...)
		if err != nil {
			return nil, fmt.Errorf("planning %s: %w", platformKey(p), err)
		}
		out = append(out, ch)
	}
	return out, nil
}

func platformOf(img v1.Image, desc v1.Descriptor) (v1.Platform, error) {
	if desc.Platform != nil && desc.Platform.Architecture != "" {
		return *desc.Platform, nil
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return v1.Platform{}, fmt.Errorf("reading the config of %s for its platform: %w", desc.Digest, err)
	}
	return v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}, nil
}

func platformKey(p v1.Platform) string {
	v := p.Variant
	if p.Architecture == "arm64" && v == "" {
		v = "v8"
	}
	s := p.OS + "/" + p.Architecture
	if v != "" {
		s += "/" + v
	}
	return s
}

// pick returns the image of idx for platform p (variants compared with
// arm64's default v8 filled in).
func pick(idx v1.ImageIndex, p v1.Platform) (v1.Image, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	want := platformKey(p)
	var have []string
	for _, d := range im.Manifests { // descriptors first: no manifest read
		if d.MediaType.IsImage() && d.Platform != nil && d.Platform.Architecture != "" && platformKey(*d.Platform) == want {
			img, err := idx.Image(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("reading the image %s of the index: %w", d.Digest, err)
			}
			return img, nil
		}
	}
	for _, d := range im.Manifests {
		if !d.MediaType.IsImage() {
			continue
		}
		img, err := idx.Image(d.Digest)
		if err != nil {
			return nil, fmt.Errorf("reading the image %s of the index: %w", d.Digest, err)
		}
		dp, err := platformOf(img, d)
		if err != nil {
			return nil, err
		}
		if platformKey(dp) == want {
			return img, nil
		}
		have = append(have, platformKey(dp))
	}
	return nil, fmt.Errorf("%w: no image for %s (it has %v); build the base for %s or rebase without it", ErrPlatform, want, have, want)
}
