package rebase

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Write puts a rebased image or index into dst's repository by digest and
// only then, if dst is a tag, points the tag at it, so that the tag never
// names a manifest that is not completely written. Blobs already in the
// repository are not uploaded; layers read from another repository of the
// same registry (remote layers, as Image and Index keep them) are mounted.
// opts are go-containerregistry's (auth, transport); the context is ctx.
func Write(ctx context.Context, dst name.Reference, t remote.Taggable, opts ...remote.Option) (name.Digest, error) {
	opts = append(append([]remote.Option{}, opts...), remote.WithContext(ctx))
	var d v1.Hash
	var err error
	byDigest := func(h v1.Hash) name.Digest { return dst.Context().Digest(h.String()) }
	switch v := t.(type) {
	case v1.ImageIndex:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the index digest: %w", err)
		}
		if err := remote.WriteIndex(byDigest(d), v, opts...); err != nil {
			return name.Digest{}, fmt.Errorf("writing the index %s to %s: %w", d, dst.Context(), err)
		}
	case v1.Image:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the image digest: %w", err)
		}
		if err := remote.Write(byDigest(d), v, opts...); err != nil {
			return name.Digest{}, fmt.Errorf("writing the image %s to %s: %w", d, dst.Context(), err)
		}
	default:
		return name.Digest{}, fmt.Errorf("writing to %s: %T is neither an image nor an index", dst, t)
	}
	if tag, ok := dst.(name.Tag); ok {
		if err := remote.Tag(tag, t, opts...); err != nil {
			return name.Digest{}, fmt.Errorf("moving tag %s to %s (the manifest is written; retry to move the tag): %w", tag, d, err)
		}
	}
	return byDigest(d), nil
}
