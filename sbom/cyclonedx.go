package sbom

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// WriteCycloneDX writes d as a CycloneDX 1.6 JSON BOM. The output is
// deterministic: serialNumber is a version-5 UUID derived from the image
// digest, the timestamp is the image's created time, and everything is
// sorted, so the same Document always gives the same bytes. d is not
// modified.
//
// metadata.component is the image (type container; its base image, when
// known, is its pedigree ancestor). Each package is a component whose
// bom-ref is its purl (with "#layer-N" appended when the same purl occurs
// in several layers), with properties ingot:layer:name, ingot:layer:owner,
// ingot:layer:diffID and, for Debian packages, ingot:deb:source and
// ingot:deb:sourceVersion.
func WriteCycloneDX(w io.Writer, d *Document) error {
	bom := cdxBOM(d)
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return fmt.Errorf("writing the CycloneDX BOM of %s: %w", imageName(d), err)
	}
	return nil
}

func cdxBOM(src *Document) *cdx.BOM {
	d := sortedCopy(src)
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:" + uuid5("ingot:cyclonedx:"+docKey(d))
	bom.Version = 1

	imgPURL := ImagePURL(d.Image.Name, d.Image.Digest, d.Image.Platform)
	img := &cdx.Component{
		BOMRef:     imgPURL,
		Type:       cdx.ComponentTypeContainer,
		Name:       imageName(d),
		Version:    d.Image.Digest,
		PackageURL: imgPURL,
	}
	if hexDigest, ok := strings.CutPrefix(d.Image.Digest, "sha256:"); ok {
		img.Hashes = &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: hexDigest}}
	}
	if d.Image.Owner != "" {
		name, email := splitContact(d.Image.Owner)
		img.Supplier = &cdx.OrganizationalEntity{Name: name}
		if email != "" {
			img.Supplier.Contact = &[]cdx.OrganizationalContact{{Email: email}}
		}
	}
	var imgProps []cdx.Property
	if d.Image.Platform != "" {
		imgProps = append(imgProps, cdx.Property{Name: "ingot:image:platform", Value: d.Image.Platform})
	}
	for _, t := range slices.Sorted(slices.Values(d.Image.Tags)) {
		imgProps = append(imgProps, cdx.Property{Name: "ingot:image:tag", Value: t})
	}
	for i, l := range d.Image.Layers {
		v := l.DiffID
		if l.Name != "" {
			v += " " + l.Name
		}
		imgProps = append(imgProps, cdx.Property{Name: "ingot:image:layer:" + strconv.Itoa(i), Value: v})
	}
	if len(imgProps) > 0 {
		img.Properties = &imgProps
	}
	if d.Image.BaseName != "" || d.Image.BaseDigest != "" {
		bp := ImagePURL(d.Image.BaseName, d.Image.BaseDigest, d.Image.Platform)
		base := cdx.Component{BOMRef: bp, Type: cdx.ComponentTypeContainer, Name: cmp.Or(d.Image.BaseName, "base"), Version: d.Image.BaseDigest, PackageURL: bp}
		img.Pedigree = &cdx.Pedigree{Ancestors: &[]cdx.Component{base}}
	}
	bom.Metadata = &cdx.Metadata{
		Timestamp: docCreated(d),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "ingot", Version: strings.TrimPrefix(toolName(), "ingot-"),
		}}},
		Component: img,
	}

	refs := bomRefs(d)
	comps := make([]cdx.Component, 0, len(d.Packages))
	deps := []cdx.Dependency{}
	var all []string
	for i, p := range d.Packages {
		c := cdx.Component{
			BOMRef:     refs[i],
			Type:       cdx.ComponentTypeLibrary,
			Name:       p.Name,
			Version:    p.Version,
			PackageURL: p.PURL,
		}
		if p.SHA256 != "" {
			c.Hashes = &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: p.SHA256}}
		}
		if len(p.Licenses) > 0 {
			c.Licenses = cdxLicenses(p.Licenses)
		}
		if p.Supplier != "" {
			name, email := splitContact(p.Supplier)
			c.Supplier = &cdx.OrganizationalEntity{Name: name}
			if email != "" {
				c.Supplier.Contact = &[]cdx.OrganizationalContact{{Email: email}}
			}
		}
		var props []cdx.Property
		for _, kv := range slices.Concat(layerProps(d, p), packageProps(p)) {
			props = append(props, cdx.Property{Name: kv[0], Value: kv[1]})
		}
		for _, loc := range p.Locations {
			props = append(props, cdx.Property{Name: "ingot:location", Value: loc})
		}
		if p.Arch != "" {
			props = append(props, cdx.Property{Name: "ingot:arch", Value: p.Arch})
		}
		slices.SortStableFunc(props, func(a, b cdx.Property) int { return cmp.Compare(a.Name, b.Name) })
		if len(props) > 0 {
			c.Properties = &props
		}
		comps = append(comps, c)
		all = append(all, refs[i])

		var on []string
		for _, dep := range p.DependsOn {
			if j := findPackage(d, p, dep); j >= 0 && j != i {
				on = append(on, refs[j])
			}
		}
		slices.Sort(on)
		on = slices.Compact(on)
		dep := cdx.Dependency{Ref: refs[i]}
		if len(on) > 0 {
			dep.Dependencies = &on
		}
		deps = append(deps, dep)
	}
	if len(all) > 0 {
		all = slices.Sorted(slices.Values(all))
		deps = append(deps, cdx.Dependency{Ref: imgPURL, Dependencies: &all})
	}
	slices.SortFunc(deps, func(a, b cdx.Dependency) int { return cmp.Compare(a.Ref, b.Ref) })
	bom.Components = &comps
	bom.Dependencies = &deps
	return bom
}

// bomRefs returns a unique bom-ref for each package of d (sorted): its purl,
// with "#layer-N" when the same purl is in several layers and "-K" beyond
// that; packages without a purl get "ingot:<ecosystem>/<name>@<version>".
func bomRefs(d *Document) []string {
	base := make([]string, len(d.Packages))
	count := map[string]int{}
	for i, p := range d.Packages {
		base[i] = cmp.Or(p.PURL, "ingot:"+p.Ecosystem+"/"+p.Name+"@"+p.Version)
		count[base[i]]++
	}
	out := make([]string, len(d.Packages))
	seen := map[string]int{}
	for i, p := range d.Packages {
		ref := base[i]
		if count[ref] > 1 {
			ref += "#layer-" + strconv.Itoa(p.Layer)
		}
		if n := seen[ref]; n > 0 {
			seen[ref]++
			ref += "-" + strconv.Itoa(n)
		} else {
			seen[ref] = 1
		}
		out[i] = ref
	}
	return out
}

// cdxLicenses expresses a package's licences: each SPDX list id as a
// license id, anything else (a LicenseRef, "GPL-2.0+") as a license name; if any is a compound
// expression, all of them as one expression (the schema allows no mix of
// expressions and licences).
func cdxLicenses(ls []string) *cdx.Licenses {
	for _, l := range ls {
		if strings.Contains(l, " ") {
			return &cdx.Licenses{{Expression: joinLicenses(ls)}}
		}
	}
	out := make(cdx.Licenses, 0, len(ls))
	for _, l := range ls {
		if id, ok := spdxIDs[strings.ToLower(l)]; ok && id == l {
			out = append(out, cdx.LicenseChoice{License: &cdx.License{ID: l}})
		} else {
			out = append(out, cdx.LicenseChoice{License: &cdx.License{Name: l}})
		}
	}
	return &out
}
