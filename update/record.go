package update

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/rebase"
	"github.com/ingot-dev/ingot/sbom"
)

// record puts the images out wrote in the inventory without reading a
// layer: each platform's document is composed (rebase.SBOM) from what the
// inventory already knows of the old image and the new base's document,
// which is inspected once per fleet. It is how Fleet records images when it
// does not attach SBOMs (rebase.Remote would inspect every app's layers).
// The tag, if any, is recorded as moved, so that rebase.Undo can go back.
func record(ctx context.Context, store *inventory.Store, ref name.Reference, out *rebase.Outcome, newBase name.Reference, docs *baseDocs) error {
	repo := ref.Context()
	var tags []string
	if t, ok := ref.(name.Tag); ok {
		tags = []string{t.TagStr()}
	}
	for i, ch := range out.Changes {
		details, err := store.Show(ctx, repo.Name()+"@"+ch.OldDigest, inventory.WithoutLineage())
		if err != nil {
			return fmt.Errorf("reading %s@%s from the inventory: %w", repo, ch.OldDigest, err)
		}
		old := fromDetail(details[0], repo.Name())
		bd, err := docs.byDigest(ctx, newBase.Context().Digest(ch.NewBase.Digest))
		if err != nil {
			return fmt.Errorf("reading the packages of the new base %s: %w", ch.NewBase.Digest, err)
		}
		doc, err := rebase.SBOM(old, bd, ch)
		if err != nil {
			return err
		}
		r := inventory.ImageRef{Repository: repo.Name(), Tags: tags}
		if out.Index {
			r.IndexDigest = out.NewDigest
		}
		if i == 0 {
			r.Documents = out.Documents // what was written, for the next update
		}
		if err := store.PutImage(ctx, doc, r); err != nil {
			return fmt.Errorf("recording %s@%s in the inventory: %w", repo, ch.NewDigest, err)
		}
	}
	return nil
}

// fromDetail turns the inventory's record of an image back into the
// document it was made from (as far as the inventory keeps it).
func fromDetail(d inventory.Detail, repo string) *sbom.Document {
	im := d.Image
	doc := &sbom.Document{Image: sbom.Image{
		Name: repo, Digest: im.Digest, Platform: im.Platform, Owner: im.Owner, Distro: im.Distro,
		BaseName: im.BaseName, BaseDigest: im.BaseDigest,
	}}
	if t, err := time.Parse(time.RFC3339, im.Created); err == nil {
		doc.Image.Created = t
	}
	for _, l := range d.Layers {
		if l.Position >= 0 {
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
