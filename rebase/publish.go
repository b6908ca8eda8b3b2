package rebase

import (
	"bytes"
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// documents returns, per platform, the rebased image's SBOM (composed by
// SBOM from the new base's and the app's documents) and the app's old one.
func (o *remoteOptions) documents(ctx context.Context, app, nb *fetched, changes []*Change, repo name.Repository) (newDocs, oldDocs []*sbom.Document, err error) {
	for _, ch := range changes {
		orig, err := app.byDigest(ch.OldDigest)
		if err != nil {
			return nil, nil, err
		}
		appDoc, err := o.appDoc(ctx, repo.Name(), orig)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the packages of %s (%s): %w", ch.OldDigest, ch.Platform, err)
		}
		appDoc.Image.Name = repo.Name()
		oldDocs = append(oldDocs, appDoc)
		if ch.Unchanged {
			newDocs = append(newDocs, appDoc)
			continue
		}
		base, err := nb.byDigest(ch.NewBase.Digest)
		if err != nil {
			return nil, nil, err
		}
		baseDoc, err := o.baseDoc(ctx, base)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the packages of the new base %s (%s): %w", ch.NewBase.Digest, ch.Platform, err)
		}
		d, err := SBOM(appDoc, baseDoc, ch)
		if err != nil {
			return nil, nil, err
		}
		newDocs = append(newDocs, d)
	}
	return newDocs, oldDocs, nil
}

func (f *fetched) byDigest(d string) (v1.Image, error) {
	if f.image != nil {
		return f.image, nil
	}
	h, err := v1.NewHash(d)
	if err != nil {
		return nil, err
	}
	img, err := f.index.Image(h)
	if err != nil {
		return nil, fmt.Errorf("reading %s of %s: %w", d, f.ref, err)
	}
	return img, nil
}

// attachSBOM attaches d as SPDX and CycloneDX to subject, a manifest of
// repo just written, through the Pusher (see Pusher.attach).
func (o *remoteOptions) attachSBOM(ctx context.Context, repo name.Repository, subject v1.Descriptor, d *sbom.Document) error {
	ref := repo.Digest(subject.Digest.String())
	var spdx, cdx bytes.Buffer
	if err := sbom.WriteSPDX(&spdx, d); err != nil {
		return fmt.Errorf("writing the SPDX SBOM of %s: %w", ref, err)
	}
	if err := sbom.WriteCycloneDX(&cdx, d); err != nil {
		return fmt.Errorf("writing the CycloneDX SBOM of %s: %w", ref, err)
	}
	return o.pusher.attach(ctx, repo, subject, attachments(spdx.Bytes(), cdx.Bytes()), o.blobs)
}

// attachments are the documents attached to a rebased image.
func attachments(spdx, cdx []byte) []sbom.Attachment {
	return []sbom.Attachment{
		{ArtifactType: sbom.ArtifactSPDX, Data: spdx, Filename: "sbom.spdx.json"},
		{ArtifactType: sbom.ArtifactCycloneDX, Data: cdx, Filename: "sbom.cdx.json"},
	}
}

// subjects returns the descriptors (media type, digest, size) of the
// platform manifests of t, a rebased image or index, by digest: the
// subjects of their SBOMs, known without asking the registry.
func subjects(t remote.Taggable) (map[string]v1.Descriptor, error) {
	out := map[string]v1.Descriptor{}
	switch v := t.(type) {
	case v1.ImageIndex:
		im, err := v.IndexManifest()
		if err != nil {
			return nil, err
		}
		for _, d := range im.Manifests {
			out[d.Digest.String()] = v1.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size}
		}
	case v1.Image:
		raw, err := v.RawManifest()
		if err != nil {
			return nil, err
		}
		mt, err := v.MediaType()
		if err != nil {
			return nil, err
		}
		h, size, err := v1.SHA256(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		out[h.String()] = v1.Descriptor{MediaType: mt, Digest: h, Size: size}
	default:
		return nil, fmt.Errorf("%T is neither an image nor an index", t)
	}
	return out, nil
}

// record puts docs in the inventory, tag pointing at digest (the index's
// when index), and raw, the documents written, with the first.
func record(ctx context.Context, store *inventory.Store, docs []*sbom.Document, raw []inventory.Document, repo name.Repository, tag *name.Tag, digest string, index bool) error {
	for i, d := range docs {
		ref := inventory.ImageRef{Repository: repo.Name()}
		if i == 0 {
			ref.Documents = raw
		}
		if index {
			ref.IndexDigest = digest
		}
		if tag != nil {
			ref.Tags = []string{tag.TagStr()}
		}
		if err := store.PutImage(ctx, d, ref); err != nil {
			return fmt.Errorf("recording %s in the inventory: %w", d.Image.Digest, err)
		}
	}
	return nil
}
