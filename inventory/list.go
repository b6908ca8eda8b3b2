package inventory

import (
	"context"
	"strings"
)

// Filter selects images for List. Empty fields select everything.
type Filter struct {
	Owner      string // the image's owner (exact, or its team before " <")
	Repository string // exact, or every repository under it when it ends in "/"
	Base       string // built on any build of this base, transitively (see Dependents)
}

// List returns the images f selects, ordered by repository and digest.
func (s *Store) List(ctx context.Context, f Filter) ([]Image, error) {
	var images []Image
	var err error
	switch {
	case f.Base != "":
		deps, err := s.Dependents(ctx, f.Base)
		if err != nil {
			return nil, err
		}
		for _, d := range deps {
			images = append(images, d.Image)
		}
	case strings.HasSuffix(f.Repository, "/"):
		images, err = s.queryImages(ctx, "i.repository >= ? AND i.repository < ?", f.Repository, f.Repository+"\U0010FFFF")
	case f.Repository != "":
		images, err = s.queryImages(ctx, "i.repository = ?", f.Repository)
	default:
		images, err = s.queryImages(ctx, "")
	}
	if err != nil {
		return nil, err
	}
	out := images[:0]
	for _, im := range images {
		if f.Repository != "" && !(im.Repository == f.Repository || strings.HasSuffix(f.Repository, "/") && strings.HasPrefix(im.Repository, f.Repository)) {
			continue
		}
		if f.Owner != "" && im.Owner != f.Owner && strings.SplitN(im.Owner, " <", 2)[0] != f.Owner {
			continue
		}
		out = append(out, im)
	}
	return out, nil
}
