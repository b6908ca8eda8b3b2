// Package deb reads Debian binary packages (.deb) straight into memory: the
// ar container, the control stanza and scripts from control.tar, and the
// file system entries of data.tar as layer.Entry values ready for
// image/layer. Nothing is ever written to the host file system.
//
// Every entry is checked before it is returned: absolute paths, ".."
// components, symlinks that climb above the root, hardlinks to anything but
// an earlier regular file, entries that pass through a symlink of the same
// archive, device nodes and FIFOs, and archives beyond the size and entry
// bounds are rejected with an error naming the package and the path.
//
// It is not for building .deb files, installing them, or running their
// maintainer scripts (see build/maintscript for what those would do).
//
// The ar reader is hand-written: the Go ar libraries handle GNU and BSD
// extensions that dpkg never produces, and a .deb needs a strict, bounded,
// streaming reader that rejects anything unexpected. Decompression uses the
// standard library (gzip, bzip2), github.com/ulikunitz/xz and
// github.com/klauspost/compress/zstd.
package deb
