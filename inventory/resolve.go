package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ingot-dev/ingot/internal/ref"
)

// Resolve returns the images reference names: "sha256:..." (a manifest or
// index digest, in any repository), "repository@digest" (a tag before the @
// is ignored), "repository:tag" (every platform of the tag), or "repository"
// (every image of it).
func (s *Store) Resolve(ctx context.Context, reference string) ([]Image, error) {
	var images []Image
	var err error
	switch repo, digest, tag := ref.Split(reference); {
	case repo == "" && digest != "":
		images, err = s.queryImages(ctx, "i.digest = ? OR i.index_digest = ?", digest, digest)
	case digest != "":
		// "repo:tag@digest": the digest decides; the tag is only a label.
		images, err = s.queryImages(ctx, "i.repository = ? AND (i.digest = ? OR i.index_digest = ?)", ref.Repository(repo), digest, digest)
	case tag != "":
		var d string
		err = s.queryRow(ctx, "SELECT digest FROM tags WHERE repository = ? AND tag = ?", repo, tag).Scan(&d)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%s: %w (ingest it with ingot inventory add, or list the repository's images with ingot inventory ls --repo %s)", reference, ErrNotFound, repo)
		}
		if err == nil {
			images, err = s.queryImages(ctx, "i.repository = ? AND (i.digest = ? OR i.index_digest = ?)", repo, d, d)
		}
	default:
		images, err = s.queryImages(ctx, "i.repository = ?", repo)
	}
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", reference, err)
	}
	if len(images) == 0 {
		return nil, fmt.Errorf("%s: %w (ingest it with ingot inventory add, or list what is known with ingot inventory ls)", reference, ErrNotFound)
	}
	return images, nil
}
