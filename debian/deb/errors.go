package deb

import (
	"errors"
	"fmt"
)

// ErrUnsafe is matched (errors.Is) by every *UnsafePathError.
var ErrUnsafe = errors.New("unsafe archive entry")

// ErrFormat is wrapped by errors about a malformed or unexpected .deb
// container: bad ar headers, missing or misordered members, unknown
// compression, a broken control file.
var ErrFormat = errors.New("malformed .deb")

// ErrTooLarge is wrapped when an archive exceeds WithMaxSize or
// WithMaxEntries.
var ErrTooLarge = errors.New(".deb exceeds limits")

// UnsafePathError reports an entry of data.tar that would escape the root,
// alias another entry, or create something a container image must not hold.
type UnsafePathError struct {
	Package string // package name, from WithName or the control file
	Path    string // the entry's path as written in the archive
	Reason  string // what is wrong, e.g. "symlink target climbs above the root"
}

func (e *UnsafePathError) Error() string {
	return fmt.Sprintf("package %s: unsafe entry %q: %s; the package is rejected, check where it came from", e.Package, e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrUnsafe) true.
func (e *UnsafePathError) Is(target error) bool { return target == ErrUnsafe }
