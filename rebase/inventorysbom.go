package rebase

import (
	"context"
	"errors"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// InventorySBOM returns a function for WithAppSBOM that reads an image's
// document from store (what an earlier build, ingest or rebase recorded)
// instead of inspecting its layers, which a fleet rebase cannot afford per
// image; an image the store does not hold is inspected (sbom.FromImage).
// Documents from the store carry packages, versions, purls, sources and
// layer attribution, not licences, locations or dependencies.
func InventorySBOM(store *inventory.Store) func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error) {
	return func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error) {
		d, err := img.Digest()
		if err != nil {
			return nil, fmt.Errorf("computing the image digest: %w", err)
		}
		details, err := store.Show(ctx, repo+"@"+d.String())
		if errors.Is(err, inventory.ErrNotFound) || (err == nil && !holds(details, d.String())) {
			return sbom.FromImage(ctx, img, sbom.WithName(repo))
		}
		if err != nil {
			return nil, err
		}
		m, err := img.Manifest()
		if err != nil {
			return nil, fmt.Errorf("reading the manifest of %s: %w", d, err)
		}
		for _, det := range details {
			if det.Image.Digest != d.String() {
				continue
			}
			if doc := fromDetail(det); len(doc.Image.Layers) == len(m.Layers) {
				return doc, nil
			}
		}
		return sbom.FromImage(ctx, img, sbom.WithName(repo)) // the record does not match the layers
	}
}

func holds(details []inventory.Detail, digest string) bool {
	for _, d := range details {
		if d.Image.Digest == digest && len(d.Layers) > 0 {
			return true
		}
	}
	return false
}

func fromDetail(det inventory.Detail) *sbom.Document {
	im := det.Image
	doc := &sbom.Document{Image: sbom.Image{
		Name: im.Repository, Tags: im.Tags, Digest: im.Digest, Platform: im.Platform,
		Owner: im.Owner, Distro: im.Distro, BaseName: im.BaseName, BaseDigest: im.BaseDigest,
	}}
	if t, err := time.Parse(time.RFC3339, im.Created); err == nil {
		doc.Image.Created = t
	}
	for _, l := range det.Layers {
		if l.Position >= 0 {
			if l.Position != len(doc.Image.Layers) {
				return &sbom.Document{} // not in order: let the caller inspect instead
			}
			doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{
				DiffID: l.DiffID, Digest: l.Digest, Name: l.Name, Owner: l.Owner, Base: l.Origin == inventory.OriginBase,
			})
		}
		for _, p := range l.Packages {
			doc.Packages = append(doc.Packages, sbom.Package{
				Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Arch: p.Arch,
				Source: p.Source, SourceVersion: p.SourceVersion, PURL: p.PURL, Layer: l.Position,
			})
		}
	}
	return doc
}
