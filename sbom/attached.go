package sbom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// ErrNotAttached is returned by Attached when the image has no SBOM of the
// requested type.
var ErrNotAttached = errors.New("no SBOM attached")

// maxAttached bounds an attached document and its manifest.
const (
	maxAttached         = 512 << 20
	maxArtifactManifest = 4 << 20
)

// Attached reads back the SBOM of artifactType attached to the image ref (a
// tag is resolved to its digest first): it lists the image's referrers (the
// referrers API, else the tag schema) and returns the document's bytes,
// verified against their digest. If several documents of that type are
// attached, the newest by org.opencontainers.image.created is returned
// (among equals, the last listed: registries list by digest).
func Attached(ctx context.Context, ref name.Reference, artifactType string, opts ...remote.Option) ([]byte, error) {
	opts = append(opts, remote.WithContext(ctx))
	dig, ok := ref.(name.Digest)
	if !ok {
		desc, err := remote.Head(ref, opts...)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", ref, err)
		}
		dig = ref.Context().Digest(desc.Digest.String())
	}
	idx, err := remote.Referrers(dig, append(opts, remote.WithFilter("artifactType", artifactType))...)
	if err != nil {
		return nil, fmt.Errorf("listing the referrers of %s: %w", dig, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the referrers of %s: %w", dig, err)
	}
	var found *v1.Descriptor
	for i, d := range im.Manifests {
		if d.ArtifactType == artifactType && (found == nil || !createdAt(d).Before(createdAt(*found))) {
			found = &im.Manifests[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("reading the %s SBOM of %s: %w (attach one with `ingot sbom attach`)", artifactType, dig, ErrNotAttached)
	}
	return readArtifact(dig.Context().Digest(found.Digest.String()), artifactType, opts)
}

// readArtifact fetches an artifact manifest and its one layer of mediaType.
func readArtifact(ref name.Digest, mediaType string, opts []remote.Option) ([]byte, error) {
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		return nil, fmt.Errorf("fetching the SBOM manifest %s: %w", ref, err)
	}
	if len(desc.Manifest) > maxArtifactManifest {
		return nil, fmt.Errorf("the SBOM manifest %s is %d bytes, over the %d limit", ref, len(desc.Manifest), maxArtifactManifest)
	}
	var m v1.Manifest
	if err := json.Unmarshal(desc.Manifest, &m); err != nil {
		return nil, fmt.Errorf("decoding the SBOM manifest %s: %w", ref, err)
	}
	for _, l := range m.Layers {
		if string(l.MediaType) != mediaType {
			continue
		}
		if l.Size < 0 || l.Size > maxAttached {
			return nil, fmt.Errorf("the SBOM in %s is %d bytes, over the %d limit", ref, l.Size, maxAttached)
		}
		layer, err := remote.Layer(ref.Context().Digest(l.Digest.String()), opts...)
		if err != nil {
			return nil, fmt.Errorf("opening the SBOM blob %s: %w", l.Digest, err)
		}
		rc, err := layer.Compressed() // verified against the digest as it is read
		if err != nil {
			return nil, fmt.Errorf("fetching the SBOM blob %s: %w", l.Digest, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(bounded(rc, l.Size))
		if err != nil {
			return nil, fmt.Errorf("reading the SBOM blob %s: %w", l.Digest, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("the SBOM manifest %s has no %s layer", ref, mediaType)
}

// createdAt is a referrer's creation time; zero when not recorded.
func createdAt(d v1.Descriptor) time.Time {
	t, _ := time.Parse(time.RFC3339, d.Annotations[annotationCreated])
	return t
}
