package rebase

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// ErrNoPrevious: the inventory has no earlier digest for the tag.
var ErrNoPrevious = errors.New("no previous digest recorded")

// Undo moves tag back to the digest it pointed at before its current one,
// as the inventory's tag history records it (Remote with WithInventory
// records it), and records the move. The previous manifest must still be in
// the registry (rebase deletes nothing). It returns the digests moved from
// and to. Of opts, WithKeychain, WithTransport, WithRetries and
// WithRemoteOptions apply, as to Remote's reads (defaults as stated there);
// the others are ignored. The context is ctx.
func Undo(ctx context.Context, store *inventory.Store, tag name.Tag, opts ...RemoteOption) (from, to string, err error) {
	ro := append(makeRemoteOptions(opts).readOptions(), remote.WithContext(ctx))
	repo := tag.Context().Name()
	cur, err := remote.Head(tag, ro...)
	if err != nil {
		return "", "", fmt.Errorf("reading where %s points: %w", tag, err)
	}
	from = cur.Digest.String()
	hist, err := store.TagHistory(ctx, repo, tag.TagStr())
	if err != nil {
		return "", "", err
	}
	to = previous(hist, from)
	if to == "" {
		return "", "", fmt.Errorf("undoing %s: %w: the inventory's history of the tag has nothing before %s (was it rebased with this inventory? see ingot inventory show %s)", tag, ErrNoPrevious, from, tag)
	}
	desc, err := remote.Get(tag.Context().Digest(to), ro...)
	if err != nil {
		return "", "", fmt.Errorf("undoing %s: reading the previous manifest %s (is it still in the registry?): %w", tag, to, err)
	}
	if err := remote.Tag(tag, desc, ro...); err != nil {
		return "", "", fmt.Errorf("undoing %s: moving the tag back to %s: %w", tag, to, err)
	}
	imgs, err := store.Resolve(ctx, repo+"@"+to)
	if err != nil {
		return from, to, fmt.Errorf("the tag is moved back to %s, but recording it in the inventory failed: %w", to, err)
	}
	for _, img := range imgs {
		doc := &sbom.Document{Image: sbom.Image{Name: repo, Digest: img.Digest}}
		ref := inventory.ImageRef{Repository: repo, Tags: []string{tag.TagStr()}}
		if img.IndexDigest == to {
			ref.IndexDigest = to
		}
		if err := store.PutImage(ctx, doc, ref); err != nil {
			return from, to, fmt.Errorf("the tag is moved back to %s, but recording it in the inventory failed: %w", to, err)
		}
	}
	return from, to, nil
}

// previous returns the digest the tag pointed at before its latest move to
// cur: the last recorded digest other than cur, before cur's last entry.
func previous(hist []inventory.TagEvent, cur string) string {
	i := len(hist) - 1
	for i >= 0 && hist[i].Digest != cur {
		i--
	}
	for j := i - 1; j >= 0; j-- {
		if d := hist[j].Digest; d != "" && d != cur {
			return d
		}
	}
	return ""
}
