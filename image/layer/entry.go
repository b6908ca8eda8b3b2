// Package layer builds reproducible OCI layers from file system entries and
// from the contents of .deb packages: sorted entries, clamped mtimes,
// normalised owners, deterministic compression, and merged-/usr paths.
//
// A Builder takes entries from any number of origins (packages, the spec),
// rejects conflicting ones, rewrites paths for merged-/usr, and encodes a
// layer whose digest depends only on the entries and the options: the same
// entries added in any order give the same digest on every machine. The
// compressed blob is held in memory, which suits layers up to a few hundred
// MB.
//
// It is not for reading images (see go-containerregistry) nor for deciding
// which packages go in which layer (see build).
package layer

// Entry is one file system object of a layer, before tar encoding.
// Producers (the .deb unpacker, the maintainer-script emulation, files added
// by a spec) all hand Entries to a Builder.
type Entry struct {
	Path     string // relative and clean, no leading "/" or "./": "usr/bin/awk"
	Type     byte   // archive/tar type flag: tar.TypeReg, TypeDir, TypeSymlink, TypeLink
	Mode     int64  // permission and special bits (0o755, 0o4755, ...)
	UID, GID int
	Linkname string // symlink target, or hardlink target path for TypeLink
	Body     []byte // regular file content
}
