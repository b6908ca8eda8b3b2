package source

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// node is what a reference resolves to: an index or a single image.
type node struct {
	idx v1.ImageIndex
	img v1.Image
}

// refNameAnnotation names a manifest inside an OCI layout.
const refNameAnnotation = "org.opencontainers.image.ref.name"

func open(ctx context.Context, ref string, o options) (node, error) {
	if err := ctx.Err(); err != nil {
		return node{}, err
	}
	p, err := parse(ref, o.insecure)
	if err != nil {
		return node{}, err
	}
	o.logger.Debug("opening image", "ref", ref, "kind", p.kind.String())
	switch p.kind {
	case kindLayout:
		return openLayout(p)
	case kindTarball:
		return openTarball(p)
	default:
		return openRemote(ctx, p.ref, o)
	}
}

func openLayout(p parsed) (node, error) {
	top, err := layout.ImageIndexFromPath(p.path)
	if err != nil {
		return node{}, fmt.Errorf("reading OCI layout %s: %w", p.path, err)
	}
	im, err := top.IndexManifest()
	if err != nil {
		return node{}, fmt.Errorf("reading OCI layout %s: index.json: %w", p.path, err)
	}
	switch {
	case p.digest != "":
		h, err := v1.NewHash(p.digest)
		if err != nil {
			return node{}, fmt.Errorf("opening OCI layout %s: bad digest %q: %w", p.path, p.digest, err)
		}
		n, ok, err := findDigest(top, h)
		if err != nil {
			return node{}, fmt.Errorf("opening OCI layout %s@%s: %w", p.path, p.digest, err)
		}
		if !ok {
			return node{}, fmt.Errorf("opening OCI layout %s: no manifest with digest %s in it", p.path, p.digest)
		}
		return n, nil
	case p.tag != "":
		var matched []v1.Descriptor
		var names []string
		for _, d := range im.Manifests {
			rn := d.Annotations[refNameAnnotation]
			if rn != "" {
				names = append(names, rn)
			}
			if rn != "" && (rn == p.tag || tagOf(rn) == p.tag) {
				matched = append(matched, d)
			}
		}
		if len(matched) == 0 {
			return node{}, fmt.Errorf("opening OCI layout %s: no manifest named %q (%s annotation); names present: %v", p.path, p.tag, refNameAnnotation, names)
		}
		if len(matched) == 1 {
			return child(top, matched[0])
		}
		return subIndex(top, matched)
	case len(im.Manifests) == 1:
		return child(top, im.Manifests[0])
	case len(im.Manifests) == 0:
		return node{}, fmt.Errorf("opening OCI layout %s: index.json lists no manifests", p.path)
	}
	return node{idx: top}, nil
}

// tagOf returns the tag of a full reference name ("reg/repo:tag" -> "tag").
func tagOf(refName string) string {
	if t, err := name.NewTag(refName); err == nil {
		return t.TagStr()
	}
	return ""
}

func child(idx v1.ImageIndex, d v1.Descriptor) (node, error) {
	if d.MediaType.IsIndex() {
		ci, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return node{}, fmt.Errorf("reading index %s: %w", d.Digest, err)
		}
		return node{idx: ci}, nil
	}
	if d.MediaType.IsImage() {
		img, err := idx.Image(d.Digest)
		if err != nil {
			return node{}, fmt.Errorf("reading image %s: %w", d.Digest, err)
		}
		return node{img: img}, nil
	}
	return node{}, fmt.Errorf("manifest %s has media type %q, neither an image nor an index", d.Digest, d.MediaType)
}

// findDigest looks for h among idx's manifests and, recursively, its child indexes.
func findDigest(idx v1.ImageIndex, h v1.Hash) (node, bool, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return node{}, false, err
	}
	for _, d := range im.Manifests {
		if d.Digest == h {
			n, err := child(idx, d)
			return n, err == nil, err
		}
	}
	for _, d := range im.Manifests {
		if !d.MediaType.IsIndex() {
			continue
		}
		ci, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return node{}, false, err
		}
		if n, ok, err := findDigest(ci, h); ok || err != nil {
			return n, ok, err
		}
	}
	return node{}, false, nil
}

// subIndex builds an index of some of idx's manifests, keeping their descriptors.
func subIndex(idx v1.ImageIndex, ds []v1.Descriptor) (node, error) {
	var adds []mutate.IndexAddendum
	for _, d := range ds {
		n, err := child(idx, d)
		if err != nil {
			return node{}, err
		}
		var a mutate.Appendable = n.img
		if n.idx != nil {
			a = n.idx
		}
		adds = append(adds, mutate.IndexAddendum{Add: a, Descriptor: d})
	}
	return node{idx: mutate.AppendManifests(empty.Index, adds...)}, nil
}

func openTarball(p parsed) (node, error) {
	var tag *name.Tag
	if p.tag != "" {
		t, err := name.NewTag(p.tag)
		if err != nil {
			return node{}, fmt.Errorf("opening docker tarball %s: bad tag %q: %w", p.path, p.tag, err)
		}
		tag = &t
	}
	img, err := tarball.ImageFromPath(p.path, tag)
	if err != nil {
		return node{}, fmt.Errorf("opening docker tarball %s: %w (a tarball with several images needs one named: %s%s:REPO:TAG)", p.path, err, prefixDocker, p.path)
	}
	// Force the manifest to be read now so a broken tarball fails here.
	if _, err := img.Manifest(); err != nil {
		return node{}, fmt.Errorf("opening docker tarball %s: %w", p.path, err)
	}
	return node{img: img}, nil
}

func openRemote(ctx context.Context, ref name.Reference, o options) (node, error) {
	ropts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(o.keychain),
		remote.WithTransport(o.transport),
	}
	desc, err := remote.Get(ref, ropts...)
	if err != nil {
		return node{}, fmt.Errorf("fetching %s from its registry: %w", ref, err)
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return node{}, fmt.Errorf("reading index %s: %w", ref, err)
		}
		return node{idx: idx}, nil
	}
	img, err := desc.Image()
	if err != nil {
		return node{}, fmt.Errorf("reading image %s: %w", ref, err)
	}
	return node{img: img}, nil
}
