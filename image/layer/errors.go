package layer

import (
	"errors"
	"fmt"
)

// ErrConflict is matched (errors.Is) by every *ConflictError.
var ErrConflict = errors.New("conflicting layer entries")

// ErrInvalidEntry is wrapped by errors about a malformed Entry.
var ErrInvalidEntry = errors.New("invalid layer entry")

// ConflictError reports two entries that cannot share a path in one layer.
type ConflictError struct {
	Path          string // the path, after merged-/usr rewriting
	Origin, Other string // who added the new entry, and who added the one already there
	Reason        string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s and %s both provide /%s: %s; remove one of them from the layer or put them in different layers", e.Other, e.Origin, e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
