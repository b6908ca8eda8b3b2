package inventory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/internal/ref"
)

// Dependent is an image built on a base, directly (Depth 1) or on an image
// that is itself built on it.
type Dependent struct {
	Image Image  `json:"image"`
	Depth int    `json:"depth"`
	Via   string `json:"via"` // the base digest this image was built on
}

// maxDepth bounds lineage walks, against cycles in bad data.
const maxDepth = 64

// Dependents returns every image built on any build of base, transitively:
// base is a repository (every image of it, and every image whose lineage
// names it), "repository:tag", "repository@digest" or a digest.
// Ordered by depth, repository and digest.
func (s *Store) Dependents(ctx context.Context, base string) ([]Dependent, error) {
	repo, digest, tag := ref.Split(base)
	frontier := map[string]bool{}
	if digest != "" {
		frontier[digest] = true
	}
	if digest == "" {
		images, err := s.Resolve(ctx, base)
		if err != nil && (tag != "" || !errors.Is(err, ErrNotFound)) {
			return nil, err
		}
		for _, im := range images {
			frontier[im.Digest] = true
			if im.IndexDigest != "" {
				frontier[im.IndexDigest] = true
			}
		}
	}
	seen := map[string]bool{} // digests whose dependents were looked up
	dup := map[string]bool{}  // images reported, by repository@digest
	var out []Dependent
	for depth := 1; len(frontier) > 0 || depth == 1; depth++ {
		if depth > maxDepth {
			return nil, fmt.Errorf("finding the dependents of %s: lineage deeper than %d; the inventory has a cycle", base, maxDepth)
		}
		var args []any
		for d := range frontier {
			seen[d] = true
			args = append(args, d)
		}
		slices.SortFunc(args, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		var found []Image
		if depth == 1 && digest == "" && tag == "" {
			// Images whose lineage names the base even if the base itself was never ingested.
			named, err := s.queryImages(ctx, "i.base_name = ? OR i.base_name LIKE ? ESCAPE '\\'", repo, likeEscape(repo)+":%")
			if err != nil {
				return nil, err
			}
			found = append(found, named...)
		}
		for chunk := range slices.Chunk(args, idBatch) {
			images, err := s.queryImages(ctx, "i.base_digest IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")", chunk...)
			if err != nil {
				return nil, err
			}
			found = append(found, images...)
		}
		next := map[string]bool{}
		for _, im := range found {
			if seen[im.Digest] || dup[im.Ref()] {
				continue
			}
			dup[im.Ref()] = true
			next[im.Digest] = true
			if im.IndexDigest != "" && !seen[im.IndexDigest] {
				next[im.IndexDigest] = true
			}
			out = append(out, Dependent{Image: im, Depth: depth, Via: im.BaseDigest})
		}
		frontier = next
		if len(frontier) == 0 {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b Dependent) int {
		if a.Depth != b.Depth {
			return a.Depth - b.Depth
		}
		if c := strings.Compare(a.Image.Repository, b.Image.Repository); c != 0 {
			return c
		}
		return strings.Compare(a.Image.Digest, b.Image.Digest)
	})
	return out, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
