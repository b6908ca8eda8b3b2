package rebase

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
)

// Blobs remembers which blobs repositories are known to hold (read from a
// manifest there, mounted or uploaded), so that writing many rebased images
// checks and mounts each blob of each repository at most once. It is safe
// for concurrent use; a fleet shares one (see WithBlobs).
type Blobs struct {
	mu sync.Mutex
	m  map[string]struct{}
}

// NewBlobs returns an empty Blobs.
func NewBlobs() *Blobs { return &Blobs{m: map[string]struct{}{}} }

func blobKey(repo name.Repository, h v1.Hash) string { return repo.Name() + "@" + h.String() }

func (b *Blobs) has(repo name.Repository, h v1.Hash) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.m[blobKey(repo, h)]
	return ok
}

func (b *Blobs) add(repo name.Repository, h v1.Hash) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[blobKey(repo, h)] = struct{}{}
}

// addManifest records the layers of img, read from repo, as present there.
func (b *Blobs) addManifest(repo name.Repository, img v1.Image) error {
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	for _, l := range m.Layers {
		b.add(repo, l.Digest)
	}
	return nil
}

// Write puts a rebased image or index into dst's repository with as few
// requests as the registry allows, so that dst (a tag or a digest) never
// names a manifest that is not completely written:
//
//   - a layer the repository already has (read from a manifest there, or
//     known to Blobs) is neither checked nor uploaded: the registry checks
//     that every blob exists when the manifest is put;
//   - a layer read from another repository of the registry (remote layers,
//     as Image and Index keep them) is mounted, with go-containerregistry's
//     remote.WriteLayer (an existence check, then one mount request);
//   - the config is checked and uploaded when missing (remote.WriteLayer);
//   - the manifest is one PUT (remote.Put), to dst. For an index, each
//     platform manifest is put by digest first and the index to dst last.
//
// opts are go-containerregistry's (auth, transport, remote.Reuse of a
// pusher shared by many writes); the context is ctx.
func Write(ctx context.Context, dst name.Reference, t remote.Taggable, opts ...remote.Option) (name.Digest, error) {
	return write(ctx, dst, t, NewBlobs(), opts)
}

func write(ctx context.Context, dst name.Reference, t remote.Taggable, blobs *Blobs, opts []remote.Option) (name.Digest, error) {
	opts = append(append([]remote.Option{}, opts...), remote.WithContext(ctx))
	repo := dst.Context()
	var d v1.Hash
	var err error
	switch v := t.(type) {
	case v1.ImageIndex:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the index digest: %w", err)
		}
		if err := writeChildren(ctx, repo, v, blobs, opts); err != nil {
			return name.Digest{}, fmt.Errorf("writing the index %s to %s: %w", d, repo, err)
		}
	case v1.Image:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the image digest: %w", err)
		}
		if err := writeBlobs(repo, v, blobs, opts); err != nil {
			return name.Digest{}, fmt.Errorf("writing the image %s to %s: %w", d, repo, err)
		}
	default:
		return name.Digest{}, fmt.Errorf("writing to %s: %T is neither an image nor an index", dst, t)
	}
	if err := remote.Put(dst, t, opts...); err != nil {
		if _, ok := dst.(name.Tag); ok {
			return name.Digest{}, fmt.Errorf("moving tag %s to %s (nothing else changed; rerun to retry): %w", dst, d, err)
		}
		return name.Digest{}, fmt.Errorf("writing the manifest %s to %s: %w", d, repo, err)
	}
	return repo.Digest(d.String()), nil
}

// writeChildren puts every manifest of idx, with its blobs, by digest.
func writeChildren(ctx context.Context, repo name.Repository, idx v1.ImageIndex, blobs *Blobs, opts []remote.Option) error {
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, desc := range im.Manifests {
		var child remote.Taggable
		if desc.MediaType.IsIndex() {
			if child, err = idx.ImageIndex(desc.Digest); err != nil {
				return err
			}
		} else if child, err = idx.Image(desc.Digest); err != nil {
			return err
		}
		if _, err := write(ctx, repo.Digest(desc.Digest.String()), child, blobs, opts); err != nil {
			return err
		}
	}
	return nil
}

// writeBlobs makes sure repo has img's layers and config.
func writeBlobs(repo name.Repository, img v1.Image, blobs *Blobs, opts []remote.Option) error {
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	if len(layers) != len(m.Layers) {
		return fmt.Errorf("%d layers but %d in the manifest", len(layers), len(m.Layers))
	}
	for i, l := range layers {
		h := m.Layers[i].Digest
		if blobs.has(repo, h) || !m.Layers[i].MediaType.IsDistributable() {
			continue
		}
		if ml, ok := l.(*remote.MountableLayer); ok && ml.Reference.Context().Name() == repo.Name() {
			blobs.add(repo, h) // read from a manifest of this repository
			continue
		}
		if err := remote.WriteLayer(repo, l, opts...); err != nil {
			return fmt.Errorf("mounting or uploading layer %s: %w", h, err)
		}
		blobs.add(repo, h)
	}
	if blobs.has(repo, m.Config.Digest) {
		return nil
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	if err := remote.WriteLayer(repo, static.NewLayer(raw, m.Config.MediaType), opts...); err != nil {
		return fmt.Errorf("uploading the config %s: %w", m.Config.Digest, err)
	}
	blobs.add(repo, m.Config.Digest)
	return nil
}
