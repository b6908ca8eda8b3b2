package inventory

import (
	"context"
	"errors"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

// knownDocument returns the document of the platform image digest as the
// store already holds it in another repository (an image copied or
// promoted between repositories), so that it is recorded again without
// reading a blob; nil if no repository holds it.
//
// The document carries what the store keeps: packages, layers and their
// names, owners and origins, base, platform, created and distro. The
// image's owner is not carried over: it belongs to a repository (see
// SetOwner).
func (s *Store) knownDocument(ctx context.Context, digest string) (*sbom.Document, error) {
	ds, err := s.Show(ctx, digest)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.Image.Digest != digest || len(d.Layers) == 0 {
			continue
		}
		if doc := detailDocument(d); doc != nil {
			return doc, nil
		}
	}
	return nil, nil
}

// detailDocument turns what the store holds of an image back into a
// Document; nil if its layers are not all known in order.
func detailDocument(det Detail) *sbom.Document {
	im := det.Image
	doc := &sbom.Document{Image: sbom.Image{
		Name: im.Repository, Digest: im.Digest, Platform: im.Platform,
		Distro: im.Distro, BaseName: im.BaseName, BaseDigest: im.BaseDigest,
	}}
	if t, err := time.Parse(time.RFC3339, im.Created); err == nil {
		doc.Image.Created = t
	}
	for _, l := range det.Layers {
		if l.Position < 0 {
			continue
		}
		if l.Position != len(doc.Image.Layers) {
			return nil
		}
		doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{DiffID: l.DiffID, Digest: l.Digest, Name: l.Name, Owner: l.Owner, Base: l.Origin == OriginBase})
	}
	for _, l := range det.Layers {
		for _, p := range l.Packages {
			doc.Packages = append(doc.Packages, sbom.Package{
				Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Arch: p.Arch,
				Source: p.Source, SourceVersion: p.SourceVersion, PURL: p.PURL, Layer: l.Position,
			})
		}
	}
	return doc
}
