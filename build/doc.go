// Package build makes golden images from an ingot.yaml spec: it locks the
// spec's packages (or reuses the lock), downloads and reads every locked
// .deb, splits the packages into the spec's owned layers, adds a small
// system layer with what the maintainer scripts would have written, and
// assembles one reproducible OCI image per architecture under an index.
//
// Layer order, per image:
//
//  1. the spec's layers, in spec order; the first one also carries the
//     merged-/usr symlinks (bin -> usr/bin, ...). Each locked package goes
//     into exactly one of them: the layer that requests it, or else the
//     lowest layer whose requested packages pull it in (Depends and
//     Pre-Depends, resolved within the locked set);
//  2. "system", owned by the image owner: /etc/passwd and group, the CA
//     bundle, os-release, alternatives and the dpkg database
//     (build/maintscript), then the spec's files.
//
// Everything that could differ between two builds of the same spec and lock
// is fixed: owners come from the packages and the spec, nothing is read from
// the host but the spec's directory and the download cache, and the clock is
// not read. Timestamps derive from SOURCE_DATE_EPOCH (the spec's override,
// else the lock's, the newest Release date): the system layer's entries, the
// config's created time and the history are dated at it; every entry of a
// package layer is dated at the newest data.tar mtime of that layer's
// packages (each .deb is built reproducibly with its own date), clamped to
// at most SOURCE_DATE_EPOCH. A package layer's bytes thus depend only on its
// packages, the spec's layers and ingot's layer format: a lock refreshed
// with no change to a layer's packages gives that layer the same digest, so
// a base update moves only the layers whose packages changed (plus system),
// and a fleet rebase mounts, and nodes pull, only those.
//
// Encoded layers are cached next to the download cache, keyed by everything
// they are made from (the ingot executable, architecture, epoch, spec, the
// spec's files and the locked packages' SHA256s), so a rebuild of an
// unchanged spec and lock reads no .deb and compresses nothing; entries are
// verified by digest before use (see WithLayerCache). The layer cache is not
// pruned: deleting <cache dir>/layers at any time is safe.
//
// It is not for resolving packages (debian/resolve, debian/lock), reading
// .debs (debian/deb), encoding layers (image/layer) or writing OCI output
// (image): it only wires them together.
package build
