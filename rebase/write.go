package rebase

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
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
//   - a layer read from another repository of the same registry (remote
//     layers, as Image and Index keep them, e.g. the new base's) is mounted
//     with one request, without checking first; if the registry opens an
//     upload instead (it cannot mount), the layer is streamed into it;
//   - a layer from another registry, or from none, is checked and uploaded
//     by go-containerregistry (remote.WriteLayer);
//   - the config is uploaded in one request where the registry completes a
//     monolithic POST, else two (POST, PUT), without checking first;
//   - the manifest is one PUT, to dst. For an index, each platform manifest
//     is put by digest first and the index to dst last.
//
// Layers whose media type is not distributable are skipped. opts are
// Remote's (WithTransport, WithKeychain, WithRetries, WithPusher,
// WithBlobs); the context is ctx.
func Write(ctx context.Context, dst name.Reference, t remote.Taggable, opts ...RemoteOption) (name.Digest, error) {
	o := makeRemoteOptions(opts)
	if o.pusher == nil {
		o.pusher = newPusher(o)
	}
	return o.pusher.write(ctx, dst, t, o.blobs)
}

func (p *Pusher) write(ctx context.Context, dst name.Reference, t remote.Taggable, blobs *Blobs) (name.Digest, error) {
	repo := dst.Context()
	var d v1.Hash
	var err error
	switch v := t.(type) {
	case v1.ImageIndex:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the index digest: %w", err)
		}
		if err := p.writeChildren(ctx, repo, v, blobs); err != nil {
			return name.Digest{}, fmt.Errorf("writing the index %s to %s: %w", d, repo, err)
		}
	case v1.Image:
		if d, err = v.Digest(); err != nil {
			return name.Digest{}, fmt.Errorf("computing the image digest: %w", err)
		}
		if err := p.writeBlobs(ctx, repo, v, blobs); err != nil {
			return name.Digest{}, fmt.Errorf("writing the image %s to %s: %w", d, repo, err)
		}
	default:
		return name.Digest{}, fmt.Errorf("writing to %s: %T is neither an image nor an index", dst, t)
	}
	if err := p.putManifestOf(ctx, dst, t); err != nil {
		if _, ok := dst.(name.Tag); ok {
			return name.Digest{}, fmt.Errorf("moving tag %s to %s (nothing else changed; rerun to retry): %w", dst, d, err)
		}
		return name.Digest{}, fmt.Errorf("writing the manifest %s to %s (rerun to retry): %w", d, repo, err)
	}
	return repo.Digest(d.String()), nil
}

// putManifestOf puts t's manifest to ref.
func (p *Pusher) putManifestOf(ctx context.Context, ref name.Reference, t remote.Taggable) error {
	raw, err := t.RawManifest()
	if err != nil {
		return err
	}
	d, err := digestOf(t)
	if err != nil {
		return err
	}
	var mt types.MediaType
	switch v := t.(type) {
	case v1.ImageIndex:
		mt, err = v.MediaType()
	case v1.Image:
		mt, err = v.MediaType()
	}
	if err != nil {
		return err
	}
	_, err = p.putManifest(ctx, ref, mt, d, raw)
	return err
}

// writeChildren puts every manifest of idx, with its blobs, by digest.
func (p *Pusher) writeChildren(ctx context.Context, repo name.Repository, idx v1.ImageIndex, blobs *Blobs) error {
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
		if _, err := p.write(ctx, repo.Digest(desc.Digest.String()), child, blobs); err != nil {
			return err
		}
	}
	return nil
}

// mountable is a layer to mount into a repository from another of the
// same registry.
type mountable struct {
	layer v1.Layer
	hash  v1.Hash
	from  name.Repository
}

// writeBlobs makes sure repo has img's layers and config.
func (p *Pusher) writeBlobs(ctx context.Context, repo name.Repository, img v1.Image, blobs *Blobs) error {
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
	var mounts []mountable
	var sources []name.Repository
	for i, l := range layers {
		h := m.Layers[i].Digest
		if blobs.has(repo, h) || !m.Layers[i].MediaType.IsDistributable() {
			continue
		}
		if d, isDescribed := l.(describedLayer); isDescribed {
			l = d.Layer // where it was read from decides
		}
		ml, ok := l.(*remote.MountableLayer)
		switch {
		case ok && ml.Reference.Context().Name() == repo.Name():
			blobs.add(repo, h) // read from a manifest of this repository
		case ok && ml.Reference.Context().RegistryStr() == repo.RegistryStr():
			from := ml.Reference.Context()
			mounts = append(mounts, mountable{layer: l, hash: h, from: from})
			if !slices.ContainsFunc(sources, func(r name.Repository) bool { return r.Name() == from.Name() }) {
				sources = append(sources, from)
			}
		default:
			// Another registry's layer, or one from no registry: checked and
			// uploaded by go-containerregistry.
			if err := remote.WriteLayer(repo, l, append(slices.Clone(p.fallback), remote.WithContext(ctx))...); err != nil {
				return fmt.Errorf("uploading layer %s to %s (rerun to retry): %w", h, repo, err)
			}
			blobs.add(repo, h)
		}
	}
	needConfig := !blobs.has(repo, m.Config.Digest)
	if len(mounts) == 0 && !needConfig {
		return nil
	}
	rt, err := p.transport(ctx, repo, sources)
	if err != nil {
		return err
	}
	for _, mt := range mounts {
		if err := p.mount(ctx, rt, repo, mt.from, mt.hash, mt.layer); err != nil {
			return fmt.Errorf("mounting layer %s from %s into %s (rerun to retry): %w", mt.hash, mt.from, repo, err)
		}
		blobs.add(repo, mt.hash)
	}
	if !needConfig {
		return nil
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	if h, _, err := v1.SHA256(bytes.NewReader(raw)); err != nil || h != m.Config.Digest {
		return fmt.Errorf("the config of the image is %s, not %s as its manifest says", h, m.Config.Digest)
	}
	if err := p.upload(ctx, rt, repo, m.Config.Digest, raw); err != nil {
		return fmt.Errorf("uploading the config %s to %s (rerun to retry): %w", m.Config.Digest, repo, err)
	}
	blobs.add(repo, m.Config.Digest)
	return nil
}
