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

// attach attaches d as SPDX and CycloneDX to ref.
func attach(ctx context.Context, ref name.Digest, d *sbom.Document, opts []remote.Option) error {
	var spdx, cdx bytes.Buffer
	if err := sbom.WriteSPDX(&spdx, d); err != nil {
		return fmt.Errorf("writing the SPDX SBOM of %s: %w", ref, err)
	}
	if err := sbom.WriteCycloneDX(&cdx, d); err != nil {
		return fmt.Errorf("writing the CycloneDX SBOM of %s: %w", ref, err)
	}
	docs := []sbom.Attachment{
		{ArtifactType: sbom.ArtifactSPDX, Data: spdx.Bytes(), Filename: "sbom.spdx.json"},
		{ArtifactType: sbom.ArtifactCycloneDX, Data: cdx.Bytes(), Filename: "sbom.cdx.json"},
	}
	if err := sbom.Attach(ctx, ref, docs, opts...); err != nil {
		return fmt.Errorf("attaching the SBOMs of %s (rerun to retry): %w", ref, err)
	}
	return nil
}

// record puts docs in the inventory, tag pointing at digest (the index's
// when index).
func record(ctx context.Context, store *inventory.Store, docs []*sbom.Document, repo name.Repository, tag *name.Tag, digest string, index bool) error {
	for _, d := range docs {
		ref := inventory.ImageRef{Repository: repo.Name()}
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
