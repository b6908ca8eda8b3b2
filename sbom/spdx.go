package sbom

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// SPDXNamespace is the prefix of the documentNamespace of ingot's SPDX
// documents; the rest is derived from the image digest.
const SPDXNamespace = "https://ingot.dev/spdx/"

// WriteSPDX writes d as an SPDX 2.3 JSON document. The output is
// deterministic: the namespace is derived from the image digest, the
// creation time is the image's, and everything is sorted, so the same
// Document always gives the same bytes. d is not modified.
//
// The image is a CONTAINER package that CONTAINS every package; each Debian
// binary package is GENERATED_FROM its source package; the image is a
// DESCENDANT_OF its base when known. Layer attribution is in each
// package's annotation (ingot:layer:name=..., one per line).
func WriteSPDX(w io.Writer, d *Document) error {
	doc, err := spdxDocument(d)
	if err != nil {
		return err
	}
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("writing the SPDX document of %s: %w", imageName(d), err)
	}
	return nil
}

func spdxDocument(src *Document) (*spdx.Document, error) {
	d := sortedCopy(src)
	created := docCreated(d)
	key := docKey(d)
	sum := sha256.Sum256([]byte(key))
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      imageName(d) + spdxNameSuffix(d),
		DocumentNamespace: SPDXNamespace + spdxSafe(imageName(d)) + "-" + hex.EncodeToString(sum[:]),
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: toolName()}},
			Created:  created,
		},
	}
	annotator := common.Annotator{AnnotatorType: "Tool", Annotator: toolName()}

	// The image.
	img := &spdx.Package{
		PackageName:             imageName(d),
		PackageSPDXIdentifier:   "Image",
		PackageVersion:          d.Image.Digest,
		PackageDownloadLocation: "NOASSERTION",
		PrimaryPackagePurpose:   "CONTAINER",
		PackageLicenseConcluded: "NOASSERTION",
		PackageLicenseDeclared:  "NOASSERTION",
		PackageCopyrightText:    "NOASSERTION",
		PackageExternalReferences: []*spdx.PackageExternalReference{{
			Category: "PACKAGE-MANAGER", RefType: "purl", Locator: ImagePURL(d.Image.Name, d.Image.Digest, d.Image.Platform),
		}},
		BuiltDate: created,
	}
	if hexDigest, ok := strings.CutPrefix(d.Image.Digest, "sha256:"); ok {
		img.PackageChecksums = []common.Checksum{{Algorithm: common.SHA256, Value: hexDigest}}
	}
	if d.Image.Owner != "" {
		name, email := splitContact(d.Image.Owner)
		img.PackageSupplier = &common.Supplier{SupplierType: "Organization", Supplier: contact(name, email)}
	}
	if d.Image.Platform != "" {
		img.PackageComment = "platform: " + d.Image.Platform
	}
	doc.Packages = append(doc.Packages, img)
	doc.Relationships = append(doc.Relationships, rel("DOCUMENT", "Image", "DESCRIBES"))

	if d.Image.BaseName != "" || d.Image.BaseDigest != "" {
		name := cmp.Or(d.Image.BaseName, "base")
		base := &spdx.Package{
			PackageName:             name,
			PackageSPDXIdentifier:   "Image-base",
			PackageVersion:          d.Image.BaseDigest,
			PackageDownloadLocation: "NOASSERTION",
			PrimaryPackagePurpose:   "CONTAINER",
			PackageLicenseConcluded: "NOASSERTION",
			PackageLicenseDeclared:  "NOASSERTION",
			PackageCopyrightText:    "NOASSERTION",
			PackageExternalReferences: []*spdx.PackageExternalReference{{
				Category: "PACKAGE-MANAGER", RefType: "purl", Locator: ImagePURL(d.Image.BaseName, d.Image.BaseDigest, d.Image.Platform),
			}},
		}
		if hexDigest, ok := strings.CutPrefix(d.Image.BaseDigest, "sha256:"); ok {
			base.PackageChecksums = []common.Checksum{{Algorithm: common.SHA256, Value: hexDigest}}
		}
		doc.Packages = append(doc.Packages, base)
		doc.Relationships = append(doc.Relationships, rel("Image", "Image-base", "DESCENDANT_OF"))
	}

	ids := packageIDs(d)
	sources := map[string]*spdx.Package{}
	var refs []string
	for i, p := range d.Packages {
		sp := &spdx.Package{
			PackageName:             p.Name,
			PackageSPDXIdentifier:   common.ElementID(ids[i]),
			PackageVersion:          p.Version,
			PackageDownloadLocation: "NOASSERTION",
			PackageLicenseConcluded: "NOASSERTION",
			PackageLicenseDeclared:  "NOASSERTION",
			PackageCopyrightText:    "NOASSERTION",
		}
		if len(p.Licenses) > 0 {
			sp.PackageLicenseDeclared = joinLicenses(p.Licenses)
			refs = append(refs, p.Licenses...)
		}
		if p.PURL != "" {
			sp.PackageExternalReferences = []*spdx.PackageExternalReference{{Category: "PACKAGE-MANAGER", RefType: "purl", Locator: p.PURL}}
		}
		if p.SHA256 != "" {
			sp.PackageChecksums = []common.Checksum{{Algorithm: common.SHA256, Value: p.SHA256}}
		}
		if p.Supplier != "" {
			name, email := splitContact(p.Supplier)
			sp.PackageSupplier = &common.Supplier{SupplierType: supplierType(name), Supplier: contact(name, email)}
		}
		if p.Ecosystem == Deb && p.Source != "" {
			sp.PackageSourceInfo = "built package from: " + p.Source + " " + cmp.Or(p.SourceVersion, p.Version)
		}
		if note := spdxAnnotation(d, p); note != "" {
			sp.Annotations = []spdx.Annotation{{
				Annotator: annotator, AnnotationDate: created, AnnotationType: "OTHER", AnnotationComment: note,
			}}
		}
		doc.Packages = append(doc.Packages, sp)
		doc.Relationships = append(doc.Relationships, rel("Image", ids[i], "CONTAINS"))

		if p.Ecosystem == Deb && p.Source != "" {
			sv := cmp.Or(p.SourceVersion, p.Version)
			sid := "Source-deb-" + spdxSafe(p.Source) + "-" + shortHash(p.Source+"@"+sv)
			if sources[sid] == nil {
				sources[sid] = &spdx.Package{
					PackageName:             p.Source,
					PackageSPDXIdentifier:   common.ElementID(sid),
					PackageVersion:          sv,
					PackageDownloadLocation: "NOASSERTION",
					PrimaryPackagePurpose:   "SOURCE",
					PackageLicenseConcluded: "NOASSERTION",
					PackageLicenseDeclared:  "NOASSERTION",
					PackageCopyrightText:    "NOASSERTION",
					PackageExternalReferences: []*spdx.PackageExternalReference{{
						Category: "PACKAGE-MANAGER", RefType: "purl", Locator: DebSourcePURL(p.Source, sv, d.Image.Distro),
					}},
				}
			}
			doc.Relationships = append(doc.Relationships, rel(ids[i], sid, "GENERATED_FROM"))
		}
		for _, dep := range p.DependsOn {
			if j := findPackage(d, p, dep); j >= 0 {
				doc.Relationships = append(doc.Relationships, rel(ids[i], ids[j], "DEPENDS_ON"))
			}
		}
	}
	for _, sid := range slices.Sorted(maps.Keys(sources)) {
		doc.Packages = append(doc.Packages, sources[sid])
	}
	for _, ref := range licenseRefs(refs) {
		doc.OtherLicenses = append(doc.OtherLicenses, &spdx.OtherLicense{
			LicenseIdentifier: ref,
			ExtractedText:     "The Debian copyright file names this licence " + strings.TrimPrefix(ref, "LicenseRef-") + "; SPDX has no identifier for it.",
			LicenseName:       strings.TrimPrefix(ref, "LicenseRef-"),
		})
	}
	slices.SortStableFunc(doc.Relationships[1:], func(a, b *spdx.Relationship) int {
		return cmp.Or(
			cmp.Compare(a.RefA.ElementRefID, b.RefA.ElementRefID),
			cmp.Compare(a.Relationship, b.Relationship),
			cmp.Compare(a.RefB.ElementRefID, b.RefB.ElementRefID),
		)
	})
	doc.Relationships = slices.CompactFunc(doc.Relationships, func(a, b *spdx.Relationship) bool { return *a == *b })
	return doc, nil
}

// spdxNameSuffix adds the platform to the document name.
func spdxNameSuffix(d *Document) string {
	if d.Image.Platform == "" {
		return ""
	}
	return " (" + d.Image.Platform + ")"
}

// DebSourcePURL is the purl of a Debian source package:
// pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=source&distro=debian-12.
func DebSourcePURL(name, version, distro string) string {
	return DebPURL(name, version, "source", distro, "")
}

// packageIDs returns an SPDX element id for each package of d (sorted):
// Package-<ecosystem>-<name>-<hash of identity>, unique within d.
func packageIDs(d *Document) []string {
	ids := make([]string, len(d.Packages))
	seen := map[string]int{}
	for i, p := range d.Packages {
		id := "Package-" + p.Ecosystem + "-" + spdxSafe(p.Name) + "-" +
			shortHash(fmt.Sprintf("%s|%s|%s|%s|%d|%s", p.Ecosystem, p.Name, p.Version, p.Arch, p.Layer, strings.Join(p.Locations, ",")))
		if n := seen[id]; n > 0 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		seen[id]++
		ids[i] = id
	}
	return ids
}

// findPackage returns the index of the package named name that p depends
// on: same ecosystem, the same architecture preferred; -1 if absent.
func findPackage(d *Document, p Package, name string) int {
	found := -1
	for j, q := range d.Packages {
		if q.Ecosystem != p.Ecosystem || q.Name != name {
			continue
		}
		if q.Arch == p.Arch || q.Arch == "all" {
			return j
		}
		if found < 0 {
			found = j
		}
	}
	return found
}

// spdxAnnotation is the layer attribution of p, one "name=value" per line.
func spdxAnnotation(d *Document, p Package) string {
	var lines []string
	for _, kv := range layerProps(d, p) {
		lines = append(lines, kv[0]+"="+kv[1])
	}
	for _, kv := range packageProps(p) {
		lines = append(lines, kv[0]+"="+kv[1])
	}
	return strings.Join(lines, "\n")
}

func rel(a, b, typ string) *spdx.Relationship {
	return &spdx.Relationship{
		RefA:         common.MakeDocElementID("", a),
		RefB:         common.MakeDocElementID("", b),
		Relationship: typ,
	}
}

// contact formats a person or organisation as SPDX writes it: "Name (email)".
func contact(name, email string) string {
	if name == "" {
		name = email
	}
	if email == "" || email == name {
		return name
	}
	return name + " (" + email + ")"
}

// supplierType guesses whether a Maintainer is a team or a person: Debian
// teams name themselves so.
func supplierType(name string) string {
	l := strings.ToLower(name)
	for _, w := range []string{"team", "maintainers", "group", "project", "developers", "debian"} {
		if strings.Contains(l, w) {
			return "Organization"
		}
	}
	return "Person"
}

var spdxUnsafe = strings.NewReplacer("+", "plus", "_", "-", "/", "-", ":", "-", "@", "-", "~", "-", " ", "-")

// spdxSafe makes s usable in an SPDX id ([A-Za-z0-9.-]).
func spdxSafe(s string) string {
	s = spdxUnsafe.Replace(s)
	return strings.Trim(refUnsafe.ReplaceAllString(s, "-"), "-")
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}

// sortedCopy returns a copy of d with its packages sorted, so writers
// neither depend on nor change the caller's order.
func sortedCopy(d *Document) *Document {
	c := *d
	c.Packages = slices.Clone(d.Packages)
	for i := range c.Packages {
		var ls []string
		for _, l := range c.Packages[i].Licenses {
			if strings.TrimSpace(l) != "" {
				ls = append(ls, normalizeExpression(l))
			}
		}
		slices.Sort(ls)
		c.Packages[i].Licenses = slices.Compact(ls)
		c.Packages[i].Locations = slices.Sorted(slices.Values(c.Packages[i].Locations))
		c.Packages[i].DependsOn = slices.Compact(slices.Sorted(slices.Values(c.Packages[i].DependsOn)))
	}
	c.Sort()
	return &c
}
