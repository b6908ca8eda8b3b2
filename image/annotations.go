package image

import (
	"maps"
	"time"
)

// Standard OCI annotation keys (image-spec annotations.md).
const (
	AnnotationCreated     = "org.opencontainers.image.created"
	AnnotationTitle       = "org.opencontainers.image.title"
	AnnotationDescription = "org.opencontainers.image.description"
	AnnotationVendor      = "org.opencontainers.image.vendor"
	AnnotationSource      = "org.opencontainers.image.source" // set only through the spec's annotations
	AnnotationBaseName    = "org.opencontainers.image.base.name"
	AnnotationBaseDigest  = "org.opencontainers.image.base.digest"
)

// ingot's own record lives under the "dev.ingot." prefix.
const (
	// AnnotationSpecDigest is the digest of the canonical ingot.yaml (spec.Digest).
	AnnotationSpecDigest = "dev.ingot.spec.digest"
	// AnnotationLockDigest is the digest of the ingot.lock the image was built from.
	AnnotationLockDigest = "dev.ingot.lock.digest"
	// AnnotationLayers is compact JSON of []LayerRecord, in layer order
	// (manifest annotation only: the diffIDs differ per platform).
	AnnotationLayers = "dev.ingot.layers"
	// AnnotationLayerName and AnnotationLayerOwner annotate each layer descriptor.
	AnnotationLayerName  = "dev.ingot.layer.name"
	AnnotationLayerOwner = "dev.ingot.layer.owner"
	// LabelLineage is the config label holding the whole Lineage as JSON, so
	// that formats without manifest annotations (docker tarballs) keep it.
	LabelLineage = "dev.ingot.lineage"
)

// Annotations are the image-level facts written on manifests and the index.
// Empty fields are omitted. Extra holds the spec's own annotations (source,
// url, version, revision and the like: ingot cannot know them); they cannot
// override the keys computed here.
type Annotations struct {
	Title       string // org.opencontainers.image.title: usually the image name
	Description string // org.opencontainers.image.description
	Vendor      string // org.opencontainers.image.vendor: the owning team

	// BaseName and BaseDigest are set for images derived from another image.
	BaseName, BaseDigest string

	SpecDigest, LockDigest string

	Extra map[string]string
}

// toMap returns the annotation map shared by manifests and the index.
func (a Annotations) toMap(created time.Time) map[string]string {
	m := map[string]string{}
	maps.Copy(m, a.Extra)
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	if !created.IsZero() {
		set(AnnotationCreated, created.UTC().Format(time.RFC3339))
	}
	set(AnnotationTitle, a.Title)
	set(AnnotationDescription, a.Description)
	set(AnnotationVendor, a.Vendor)
	set(AnnotationBaseName, a.BaseName)
	set(AnnotationBaseDigest, a.BaseDigest)
	set(AnnotationSpecDigest, a.SpecDigest)
	set(AnnotationLockDigest, a.LockDigest)
	return m
}
