package rebase

import (
	"errors"
	"fmt"
)

// Refusals. Errors returned by Plan, Image and Index wrap one of these when
// the rebase is refused rather than failed.
var (
	// ErrNotOnBase: the image's bottom layers are not the old base's.
	ErrNotOnBase = errors.New("image is not built on the old base")
	// ErrPlatform: the image and a base differ in OS, architecture or variant,
	// or the new base has no image for a platform of the image.
	ErrPlatform = errors.New("platform mismatch")
	// ErrOtherBase: the new base is not a build of the same golden image.
	ErrOtherBase = errors.New("new base is not a build of the same golden image")
	// ErrNoOldBase: neither an old base nor a lineage naming base layers.
	ErrNoOldBase = errors.New("old base unknown")
	// ErrTagMoved: the tag being rebased was pushed to (or deleted) while
	// its rebased manifests were written; Remote left it alone.
	ErrTagMoved = errors.New("tag moved during the rebase")
)

// LayerError says which layer shows that an image is not built on the
// claimed base. It wraps ErrNotOnBase.
type LayerError struct {
	Index    int    // layer index, bottom first
	Expected string // the old base's diffID at Index
	Found    string // the image's diffID at Index; "" if the image has fewer layers
}

func (e *LayerError) Error() string {
	found := e.Found
	if found == "" {
		found = "no layer"
	}
	return fmt.Sprintf("%v: layer %d differs: the old base has %s, the image has %s (name the base the image was built on with --old-base)", ErrNotOnBase, e.Index, e.Expected, found)
}

func (e *LayerError) Unwrap() error { return ErrNotOnBase }
