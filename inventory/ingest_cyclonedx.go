package inventory

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/ingot-dev/ingot/sbom"
)

// MaxSBOM bounds the size of an attached SBOM the inventory reads.
const MaxSBOM = 64 << 20

// maxSBOMPackages bounds the components of one SBOM.
const maxSBOMPackages = 1 << 20

// DocumentFromCycloneDX reads back a CycloneDX JSON BOM written by
// sbom.WriteCycloneDX (or any CycloneDX BOM of a container image) into the
// part of a Document the inventory keeps: the image (name, digest, platform,
// tags, created, owner, base, layers by diffID) and every component with a
// purl, with its layer from the ingot:layer:* properties. Licences,
// locations and dependencies are not read. The input is untrusted: its size
// is bounded by MaxSBOM and every layer reference is checked.
func DocumentFromCycloneDX(data []byte) (*sbom.Document, error) {
	if len(data) > MaxSBOM {
		return nil, fmt.Errorf("reading a CycloneDX SBOM: %d bytes, over the %d limit", len(data), MaxSBOM)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		return nil, fmt.Errorf("reading a CycloneDX SBOM: %w", err)
	}
	if bom.Metadata == nil || bom.Metadata.Component == nil {
		return nil, fmt.Errorf("reading a CycloneDX SBOM: it describes no image (metadata.component is missing)")
	}
	doc := &sbom.Document{}
	img := bom.Metadata.Component
	doc.Image.Digest = img.Version
	if p, err := parseImagePURL(img.PackageURL); err == nil {
		doc.Image.Name = p.name
		if p.digest != "" {
			doc.Image.Digest = p.digest
		}
	}
	if img.Supplier != nil {
		doc.Image.Owner = img.Supplier.Name
		if img.Supplier.Contact != nil && len(*img.Supplier.Contact) > 0 && (*img.Supplier.Contact)[0].Email != "" {
			doc.Image.Owner += " <" + (*img.Supplier.Contact)[0].Email + ">"
		}
	}
	if t, err := time.Parse(time.RFC3339, bom.Metadata.Timestamp); err == nil && t.Unix() != 0 { // the epoch: unknown
		doc.Image.Created = t
	}
	layerAt := map[string]int{}
	if img.Properties != nil {
		for _, p := range *img.Properties {
			switch {
			case p.Name == "ingot:image:platform":
				doc.Image.Platform = p.Value
			case p.Name == "ingot:image:tag":
				doc.Image.Tags = append(doc.Image.Tags, p.Value)
			case strings.HasPrefix(p.Name, "ingot:image:layer:"):
				i, err := strconv.Atoi(strings.TrimPrefix(p.Name, "ingot:image:layer:"))
				if err != nil || i < 0 || i >= 1<<12 {
					return nil, fmt.Errorf("reading a CycloneDX SBOM: bad layer property %q", p.Name)
				}
				for len(doc.Image.Layers) <= i {
					doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{})
				}
				diffID, name, _ := strings.Cut(p.Value, " ")
				doc.Image.Layers[i].DiffID, doc.Image.Layers[i].Name = diffID, name
				layerAt[diffID] = i
			}
		}
	}
	for i, l := range doc.Image.Layers {
		if l.DiffID == "" {
			return nil, fmt.Errorf("reading a CycloneDX SBOM: layer %d of %d is not described", i, len(doc.Image.Layers))
		}
	}
	if img.Pedigree != nil && img.Pedigree.Ancestors != nil && len(*img.Pedigree.Ancestors) > 0 {
		a := (*img.Pedigree.Ancestors)[0]
		doc.Image.BaseDigest = a.Version
		if p, err := parseImagePURL(a.PackageURL); err == nil && p.name != "" {
			doc.Image.BaseName = p.name
		} else if a.Name != "base" {
			doc.Image.BaseName = a.Name
		}
	}
	if bom.Components == nil {
		return doc, nil
	}
	if len(*bom.Components) > maxSBOMPackages {
		return nil, fmt.Errorf("reading a CycloneDX SBOM: %d components, over the %d limit", len(*bom.Components), maxSBOMPackages)
	}
	for _, c := range *bom.Components {
		eco, ok := purlType(c.PackageURL)
		if !ok || c.Type == cdx.ComponentTypeContainer {
			continue
		}
		p := sbom.Package{Ecosystem: eco, Name: c.Name, Version: c.Version, PURL: c.PackageURL, Layer: -1}
		var layer sbom.Layer
		if c.Properties != nil {
			for _, pr := range *c.Properties {
				switch pr.Name {
				case "ingot:layer:diffID":
					layer.DiffID = pr.Value
				case "ingot:layer:name":
					layer.Name = pr.Value
				case "ingot:layer:owner":
					layer.Owner = pr.Value
				case "ingot:layer:base":
					layer.Base = pr.Value == "true"
				case "ingot:deb:source":
					p.Source = pr.Value
				case "ingot:deb:sourceVersion":
					p.SourceVersion = pr.Value
				case "ingot:arch":
					p.Arch = pr.Value
				}
			}
		}
		if layer.DiffID != "" {
			i, ok := layerAt[layer.DiffID]
			if !ok {
				return nil, fmt.Errorf("reading a CycloneDX SBOM: component %s is in layer %s, which the image does not list", c.PackageURL, layer.DiffID)
			}
			p.Layer = i
			l := &doc.Image.Layers[i]
			l.Owner = cmpOr(l.Owner, layer.Owner)
			l.Base = l.Base || layer.Base
		}
		doc.Packages = append(doc.Packages, p)
	}
	return doc, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// purlType returns the ecosystem of a package purl ("pkg:deb/..." → "deb").
func purlType(purl string) (string, bool) {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return "", false
	}
	t, _, ok := strings.Cut(rest, "/")
	if !ok || t == "" || t == "oci" {
		return "", false
	}
	return strings.ToLower(t), true
}

// imagePURL is what an image purl (sbom.ImagePURL) says.
type imagePURL struct{ name, digest string }

// parseImagePURL reads the purl sbom.ImagePURL writes.
func parseImagePURL(s string) (imagePURL, error) {
	p, err := packageurl.FromString(s)
	if err != nil {
		return imagePURL{}, err
	}
	if p.Type != "oci" {
		return imagePURL{}, fmt.Errorf("not an OCI purl: %q", s)
	}
	return imagePURL{name: p.Qualifiers.Map()["repository_url"], digest: p.Version}, nil
}
