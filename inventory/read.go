package inventory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/internal/ref"
)

// Image is one image in the inventory, as queries report it.
type Image struct {
	Repository  string   `json:"repository"`
	Digest      string   `json:"digest"`
	Tags        []string `json:"tags,omitempty"`
	Platform    string   `json:"platform,omitempty"`
	Created     string   `json:"created,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	IndexDigest string   `json:"indexDigest,omitempty"`
	Distro      string   `json:"distro,omitempty"`
	BaseName    string   `json:"baseName,omitempty"`
	BaseDigest  string   `json:"baseDigest,omitempty"`

	id int64
}

// Ref returns "repository@digest".
func (i Image) Ref() string { return i.Repository + "@" + i.Digest }

// idBatch bounds the number of values in one IN (...) list.
const idBatch = 500

// imageColumns are the columns scanImage reads, from images aliased as i.
const imageColumns = "i.id, i.repository, i.digest, i.platform, i.created, i.owner, i.index_digest, i.distro, i.base_name, i.base_digest"

type scanner interface{ Scan(dest ...any) error }

func scanImage(r scanner, extra ...any) (Image, error) {
	var im Image
	err := r.Scan(append([]any{&im.id, &im.Repository, &im.Digest, &im.Platform, &im.Created, &im.Owner,
		&im.IndexDigest, &im.Distro, &im.BaseName, &im.BaseDigest}, extra...)...)
	return im, err
}

// queryImages returns the images a WHERE clause (over images i) selects, with
// their tags and effective owners, ordered by repository and digest.
func (s *Store) queryImages(ctx context.Context, where string, args ...any) ([]Image, error) {
	q := "SELECT " + imageColumns + " FROM images i"
	if where != "" {
		q += " WHERE " + where
	}
	rows, err := s.query(ctx, q+" ORDER BY i.repository, i.digest", args...)
	if err != nil {
		return nil, fmt.Errorf("reading images from the inventory: %w", err)
	}
	defer rows.Close()
	var out []Image
	for rows.Next() {
		im, err := scanImage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.decorate(ctx, out)
}

// decorate fills the tags of images and applies owners set by hand.
func (s *Store) decorate(ctx context.Context, images []Image) error {
	tags, err := s.tagsOf(ctx, images)
	if err != nil {
		return err
	}
	owners, err := s.handOwners(ctx)
	if err != nil {
		return err
	}
	for i := range images {
		im := &images[i]
		im.Tags = tags[im.Repository+"@"+im.Digest]
		if im.IndexDigest != "" {
			im.Tags = append(im.Tags, tags[im.Repository+"@"+im.IndexDigest]...)
			slices.Sort(im.Tags)
		}
		if o, ok := owners[ownerKey{im.Repository, ""}]; ok {
			im.Owner = o
		}
	}
	return nil
}

// tagsOf returns the tags pointing at the images or their indexes, by
// "repository@digest".
func (s *Store) tagsOf(ctx context.Context, images []Image) (map[string][]string, error) {
	seen := make(map[string]bool)
	var digests []any
	for _, im := range images {
		for _, d := range []string{im.Digest, im.IndexDigest} {
			if d != "" && !seen[d] {
				seen[d] = true
				digests = append(digests, d)
			}
		}
	}
	out := make(map[string][]string)
	for chunk := range slices.Chunk(digests, idBatch) {
		q := "SELECT repository, tag, digest FROM tags WHERE digest IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ") ORDER BY tag"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(q), chunk...)
		if err != nil {
			return nil, fmt.Errorf("reading tags from the inventory: %w", err)
		}
		for rows.Next() {
			var repo, tag, digest string
			if err := rows.Scan(&repo, &tag, &digest); err != nil {
				rows.Close()
				return nil, err
			}
			out[repo+"@"+digest] = append(out[repo+"@"+digest], tag)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type ownerKey struct{ repository, layer string }

// handOwners returns the owners set with SetOwner, as "team <contact>".
func (s *Store) handOwners(ctx context.Context) (map[ownerKey]string, error) {
	rows, err := s.query(ctx, "SELECT repository, layer, team, contact FROM owners")
	if err != nil {
		return nil, fmt.Errorf("reading owners from the inventory: %w", err)
	}
	defer rows.Close()
	out := make(map[ownerKey]string)
	for rows.Next() {
		var k ownerKey
		var team, contact string
		if err := rows.Scan(&k.repository, &k.layer, &team, &contact); err != nil {
			return nil, err
		}
		out[k] = formatOwner(team, contact)
	}
	return out, rows.Err()
}

func formatOwner(team, contact string) string {
	if contact == "" {
		return team
	}
	return team + " <" + contact + ">"
}

// layerOwner decides who must act on a layer of an image: an owner set by
// hand for that layer of the image's repository; for a base layer, an owner
// set by hand on the repository that introduced the layer (intro: its layer
// of that name, else the repository), else the owner recorded with the
// layer, else the image's owner.
func layerOwner(owners map[ownerKey]string, im Image, layerName, recorded string, base bool, intro string) string {
	if o, ok := owners[ownerKey{im.Repository, layerName}]; ok && layerName != "" {
		return o
	}
	if base {
		if intro == "" && im.BaseName != "" {
			intro = ref.Repository(im.BaseName)
		}
		if o, ok := owners[ownerKey{intro, layerName}]; ok && layerName != "" {
			return o
		}
		if o, ok := owners[ownerKey{intro, ""}]; ok {
			return o
		}
	}
	if recorded != "" {
		return recorded
	}
	return im.Owner
}

// introducers returns, for layers (by id), the repository of an image that
// has the layer as its own rather than from its base. Only needed when
// owners were set by hand.
func (s *Store) introducers(ctx context.Context, owners map[ownerKey]string, layerIDs []any) (map[int64]string, error) {
	out := make(map[int64]string)
	if len(owners) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(layerIDs, idBatch) {
		q := "SELECT il.layer_id, i.repository FROM image_layers il JOIN images i ON i.id = il.image_id WHERE il.base = ? AND il.layer_id IN (" +
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ") ORDER BY i.repository"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(q), append([]any{false}, chunk...)...)
		if err != nil {
			return nil, fmt.Errorf("reading where layers come from: %w", err)
		}
		for rows.Next() {
			var d int64
			var repo string
			if err := rows.Scan(&d, &repo); err != nil {
				rows.Close()
				return nil, err
			}
			if _, ok := out[d]; !ok {
				out[d] = repo
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ShortID returns the first 12 hex digits of a "sha256:..." digest.
// The pseudo-layer of packages whose layer is unknown is "unknown".
func ShortID(digest string) string {
	if strings.HasPrefix(digest, "unknown:") {
		return "unknown"
	}
	_, hex, ok := strings.Cut(digest, ":")
	if !ok {
		return digest
	}
	if len(hex) > 12 {
		hex = hex[:12]
	}
	return hex
}
