package sbom

import (
	"cmp"
	"slices"
	"time"
)

// Ecosystems of packages, as purl types name them.
const (
	Deb    = "deb"
	Golang = "golang"
	Npm    = "npm"
	PyPI   = "pypi"
)

// Document describes the contents of one image for one platform.
type Document struct {
	Image    Image
	Packages []Package
}

// Image identifies the image a Document describes, and its layers.
type Image struct {
	Name     string    // repository without tag or digest, e.g. "registry.example.com/golden/base"
	Tags     []string  // tags known when the document was made
	Digest   string    // manifest digest, "sha256:..."
	Platform string    // "linux/amd64", "linux/arm64/v8"
	Created  time.Time // the image config's created time
	Owner    string    // the image owner ("team <contact>")
	Distro   string    // "debian-12" when known (purl distro qualifier)
	Layers   []Layer
	// Base is the image this one was built on, from its lineage annotations.
	BaseName   string
	BaseDigest string
}

// Layer is one layer of the image, bottom first.
type Layer struct {
	DiffID string // "sha256:..." of the uncompressed layer
	Digest string // "sha256:..." of the compressed blob
	Name   string // ingot layer name ("os", "runtime", "app"), "" if unknown
	Owner  string // who must act on what this layer holds
	Base   bool   // the layer belongs to the base image
}

// Package is one installed package or module.
type Package struct {
	Ecosystem     string // Deb, Golang, Npm, PyPI
	Name          string
	Version       string
	Arch          string // Debian architecture for deb packages
	Source        string // Debian source package name
	SourceVersion string // Debian source version
	PURL          string
	Licenses      []string // SPDX identifiers or expressions; LicenseRef-... otherwise
	SHA256        string   // the .deb's SHA256 when known
	Layer         int      // index into Image.Layers of the layer that introduced it; -1 if unknown
	Locations     []string // where it was found: "/var/lib/dpkg/status", "/app/server" (a Go binary)
	Supplier      string   // who distributes it, "Name <email>": the Debian Maintainer; "" if unknown
	// DependsOn names the packages of the same ecosystem in this Document
	// that it depends on, when known (for deb, the installed alternative of
	// each Depends and Pre-Depends).
	DependsOn []string
}

// Sort puts packages in a stable order: ecosystem, name, version, arch, layer.
// Writers call it so the same contents always give the same bytes.
func (d *Document) Sort() {
	slices.SortFunc(d.Packages, func(a, b Package) int {
		return cmp.Or(
			cmp.Compare(a.Ecosystem, b.Ecosystem),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Version, b.Version),
			cmp.Compare(a.Arch, b.Arch),
			cmp.Compare(a.Layer, b.Layer),
			slices.Compare(a.Locations, b.Locations),
		)
	})
}

// LayerOf returns the layer that introduced p, or nil when unknown.
func (d *Document) LayerOf(p Package) *Layer {
	if p.Layer < 0 || p.Layer >= len(d.Image.Layers) {
		return nil
	}
	return &d.Image.Layers[p.Layer]
}
