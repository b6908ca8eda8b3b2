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
// is fixed: every timestamp is SOURCE_DATE_EPOCH (the spec's override, else the
// lock's), owners come from the packages and the spec, and nothing is read from
// the host but the spec's directory and the download cache. The clock is not
// read.
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
