package build

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Result is what a build produced.
type Result struct {
	Name        string `json:"name"`        // the image name from the spec
	IndexDigest string `json:"indexDigest"` // digest of the OCI index
	// Lockfile is the lock the build used; LockWritten says the build
	// created or regenerated it.
	Lockfile        string        `json:"lockfile"`
	LockWritten     bool          `json:"lockWritten"`
	SourceDateEpoch int64         `json:"sourceDateEpoch"`
	Images          []ImageResult `json:"images"` // one per architecture, in build order
	Layout          string        `json:"layout,omitempty"`
	Tarball         string        `json:"tarball,omitempty"`
	Pushed          string        `json:"pushed,omitempty"` // reference pushed to, with digest
	SBOMs           []SBOMFile    `json:"sboms,omitempty"`  // SPDX and CycloneDX per architecture (see sbom.go)
	Index           v1.ImageIndex `json:"-"`
}

// ImageResult is one architecture's image.
type ImageResult struct {
	Arch     string        `json:"arch"`     // Debian architecture
	Platform string        `json:"platform"` // OCI platform: linux/arm64/v8
	Digest   string        `json:"digest"`   // manifest digest
	Layers   []LayerResult `json:"layers"`
	// Cached says the layers came from the layer cache (same spec, lock
	// and ingot as an earlier build).
	Cached bool `json:"cached"`
}

// LayerResult is one layer of an image.
type LayerResult struct {
	Name     string   `json:"name"`
	Owner    string   `json:"owner"`
	Digest   string   `json:"digest"` // compressed blob digest
	DiffID   string   `json:"diffID"`
	Size     int64    `json:"size"`               // compressed bytes
	Packages []string `json:"packages,omitempty"` // name=version
}
