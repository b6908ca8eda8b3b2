package update

import (
	"bytes"
	"context"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/inventory"
)

// maxDocumentDepth bounds how deep fromInventory follows a target's
// documents: an index, its manifests, their configs.
const maxDocumentDepth = 3

// fromInventory seeds the prefetch's transport with what the inventory
// holds of the targets' documents (their index or manifest, platform
// manifests and configs, as recorded by a build, an ingest or an earlier
// update) and reports which targets it holds completely: those need no
// read from the registry before the fleet rebase, which then reads only
// their tags. The documents were checked against their digests by the
// inventory; go-containerregistry checks them again as it reads them.
func (p *Prefetch) fromInventory(ctx context.Context, targets []Target) []bool {
	complete := make([]bool, len(targets))
	if p.store == nil {
		return complete
	}
	docs := map[string]inventory.Document{}
	kids := map[string][]string{} // what each document refers to, parsed once
	var want []string
	for _, t := range targets {
		if t.Skip == "" && t.OldDigest != "" {
			want = append(want, t.OldDigest)
		}
	}
	for depth := 0; depth < maxDocumentDepth && len(want) > 0; depth++ {
		slices.Sort(want)
		got, err := p.store.Documents(ctx, slices.Compact(want))
		if err != nil {
			p.log.Debug("not reading ahead from the inventory", "err", err)
			return complete
		}
		want = want[:0]
		for d, doc := range got {
			docs[d] = doc
			kids[d] = children(doc)
			for _, c := range kids[d] {
				if _, ok := docs[c]; !ok {
					want = append(want, c)
				}
			}
		}
	}
	for i, t := range targets {
		if t.Skip != "" || t.OldDigest == "" {
			continue
		}
		ref, err := name.ParseReference(t.Image)
		if err != nil {
			continue
		}
		complete[i] = p.seedTree("/v2/"+ref.Context().RepositoryStr(), t.OldDigest, docs, kids, 0)
	}
	return complete
}

// seedTree seeds digest and what it refers to (kids), under the
// repository path repo, and reports whether the inventory held all of it.
func (p *Prefetch) seedTree(repo, digest string, docs map[string]inventory.Document, kids map[string][]string, depth int) bool {
	d, ok := docs[digest]
	if !ok || depth >= maxDocumentDepth {
		return false
	}
	mt := types.MediaType(d.MediaType)
	kind := "/blobs/"
	if mt.IsIndex() || mt.IsImage() {
		kind = "/manifests/"
	}
	p.transport.seed(repo+kind+digest, d.Digest, d.MediaType, d.Body)
	whole := true
	for _, c := range kids[digest] {
		whole = p.seedTree(repo, c, docs, kids, depth+1) && whole
	}
	return whole
}

// children are the digests doc refers to that a rebase reads: an index's
// images, a manifest's config.
func children(doc inventory.Document) []string {
	mt := types.MediaType(doc.MediaType)
	switch {
	case mt.IsIndex():
		im, err := v1.ParseIndexManifest(bytes.NewReader(doc.Body))
		if err != nil {
			return nil
		}
		var out []string
		for _, m := range im.Manifests {
			if m.MediaType.IsImage() {
				out = append(out, m.Digest.String())
			}
		}
		return out
	case mt.IsImage():
		m, err := v1.ParseManifest(bytes.NewReader(doc.Body))
		if err != nil {
			return nil
		}
		return []string{m.Config.Digest.String()}
	}
	return nil
}
