// Package app builds application images from source on a golden base,
// without a Dockerfile: it detects the kind of application in a directory
// (Go module, Node.js project, static site, or any directory with an explicit
// command), lets that kind's Builder produce the application's layers and
// runtime settings for each platform of the base, and assembles one image per
// platform on top of the base's untouched layers, under an OCI index.
//
// Every kind is one small Builder in its own package (build/app/golang,
// build/app/node, ...); this package holds the interface, detection, helpers
// to turn a source tree into reproducible layer entries, and the assembly.
//
// Layer order, per image: the base's layers exactly as they are (same
// digests, never re-compressed), then the builder's dependency layers, then
// the application layer. The image records its lineage
// (org.opencontainers.image.base.name and base.digest, and which layers are
// the base's with their names and owners, see image.Lineage) so that a later
// rebase needs nothing but the image.
//
// The same source tree and base give the same digests: files are sorted,
// mtimes are SOURCE_DATE_EPOCH (the base's creation time unless given),
// owners are root and modes normalised, and builders keep build paths and
// host settings out of what they produce.
//
// It is not for golden base images (see build), not for reading images
// (image/source) and not for OCI mechanics (image).
package app
