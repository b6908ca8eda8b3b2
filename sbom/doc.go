// Package sbom is ingot's format-neutral software bill of materials: what is
// inside one image (one platform), package by package, with the layer that
// introduced each package and that layer's owner.
//
// A Document is made at build time from what the build knows, or by
// inspecting any image; it is written as SPDX 2.3 JSON or CycloneDX 1.6 JSON
// and attached to images in a registry as OCI referrers. The inventory, the
// vulnerability matcher and rebase all read Documents. This package does not
// decide what is vulnerable (see vuln) nor store fleets (see inventory).
//
// WriteSPDX uses github.com/spdx/tools-golang's SPDX 2.3 model and JSON
// writer, and WriteCycloneDX github.com/CycloneDX/cyclonedx-go; both give
// deterministic output from a sorted copy of the Document. FromBuild makes a
// Document from what a golden build knows, with licences read from the
// packages' machine-readable copyright files (CopyrightLicenses).
package sbom
