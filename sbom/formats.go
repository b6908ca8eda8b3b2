package sbom

import "io"

// Format is one of the serialisations every ingot build emits for each
// platform image, with the file suffix and OCI artifact type it is stored
// under.
type Format struct {
	Name         string // "spdx", "cyclonedx"
	Suffix       string // file name suffix: ".spdx.json", ".cdx.json"
	ArtifactType string // ArtifactSPDX, ArtifactCycloneDX
	Write        func(io.Writer, *Document) error
}

// Formats are the formats builds emit, in this order.
var Formats = []Format{
	{Name: "spdx", Suffix: ".spdx.json", ArtifactType: ArtifactSPDX, Write: WriteSPDX},
	{Name: "cyclonedx", Suffix: ".cdx.json", ArtifactType: ArtifactCycloneDX, Write: WriteCycloneDX},
}
