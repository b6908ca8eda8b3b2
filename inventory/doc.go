// Package inventory is ingot's fleet inventory: every image, its layers,
// the packages of every layer, lineage to the root base, tags over time and
// owners, in SQLite (the embedded default) or PostgreSQL with the same schema.
//
// It answers "who has X" for a whole fleet in milliseconds ([Store.WhoHas]):
// which images hold a package, in which layer, who owns that layer, and
// whether it came with the base or with the app. The unit of ingest is an
// [sbom.Document] ([Store.PutImage]); this package does not make documents
// (see sbom), crawl registries or decide what is vulnerable (see vuln).
//
// Layers are shared between images and keyed by diffID: a layer's packages
// are written once, by the first image that brings it, so ingesting an image
// built on a known base writes only its own layers.
//
// It also keeps the manifests, indexes and configs of the images recorded
// with them ([Document], [Store.Documents]), content-addressed and checked
// against their digests, so that a fleet rebase reads them from here rather
// than from the registry.
package inventory
