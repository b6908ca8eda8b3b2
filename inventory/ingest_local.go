package inventory

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// AddLocal records the images of idx, an index read from an OCI layout or a
// docker tarball (see image/source), under the repository name repo. Such
// images have no registry and so no attached SBOM: each is inspected, unless
// the inventory already holds it. Tags, if any, point at the index.
func (s *Store) AddLocal(ctx context.Context, repo string, idx v1.ImageIndex, tags []string, opts ...IngestOption) ([]Added, error) {
	r, err := name.NewRepository(repo)
	if err != nil {
		return nil, fmt.Errorf("the repository name %q: %w (give it as REGISTRY/REPOSITORY)", repo, err)
	}
	o := newIngestOptions(opts)
	o.local = true
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the index of %s: %w", repo, err)
	}
	d, err := idx.Digest()
	if err != nil {
		return nil, fmt.Errorf("reading the index of %s: %w", repo, err)
	}
	indexDoc, err := IndexDocument(idx)
	if err != nil {
		return nil, fmt.Errorf("reading the index of %s: %w", repo, err)
	}
	var out []Added
	for _, child := range im.Manifests {
		if !child.MediaType.IsImage() || isAttestation(child) {
			continue
		}
		platform := ""
		if child.Platform != nil {
			platform = child.Platform.String()
		}
		a, err := s.ingestImage(ctx, o, r, child.Digest, platform, d.String(), tags, indexDoc,
			func() (v1.Image, error) { return idx.Image(child.Digest) })
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no image", repo)
	}
	return out, nil
}
