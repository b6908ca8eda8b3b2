package sbom

import (
	"bytes"
	"testing"

	"github.com/ingot-dev/ingot/sbom/sbomtest"
)

func TestFixtureValidates(t *testing.T) {
	d := fixtureDocument()
	var s, c bytes.Buffer
	if err := WriteSPDX(&s, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteCycloneDX(&c, d); err != nil {
		t.Fatal(err)
	}
	if err := sbomtest.ValidateSPDX(s.Bytes()); err != nil {
		t.Errorf("SPDX: %v", err)
	}
	if err := sbomtest.ValidateCycloneDX(c.Bytes()); err != nil {
		t.Errorf("CycloneDX 1.6 schema: %v", err)
	}
}

// TestValidatorsReject proves the validators can fail: broken documents
// must not pass.
func TestValidatorsReject(t *testing.T) {
	d := fixtureDocument()
	var s, c bytes.Buffer
	if err := WriteSPDX(&s, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteCycloneDX(&c, d); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		desc     string
		spdx     bool
		old, new string
	}{
		{"cdx unknown component type", false, `"type": "library"`, `"type": "deb-package"`},
		{"cdx licence id not in the SPDX list", false, `"id": "Apache-2.0"`, `"id": "Apache-2"`},
		{"cdx bad serial number", false, `"serialNumber": "urn:uuid:`, `"serialNumber": "uuid:`},
		{"spdx bad element id", true, `"SPDXRef-Image"`, `"SPDXRef-Image_1"`},
		{"spdx undeclared LicenseRef", true, `"licenseId": "LicenseRef-public-domain"`, `"licenseId": "LicenseRef-other"`},
		{"spdx unknown property", true, `"versionInfo":`, `"version":`},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			src := c.Bytes()
			if tc.spdx {
				src = s.Bytes()
			}
			if !bytes.Contains(src, []byte(tc.old)) {
				t.Fatalf("fixture output has no %s", tc.old)
			}
			broken := bytes.Replace(src, []byte(tc.old), []byte(tc.new), 1)
			var err error
			if tc.spdx {
				err = sbomtest.ValidateSPDX(broken)
			} else {
				err = sbomtest.ValidateCycloneDX(broken)
			}
			if err == nil {
				t.Errorf("a document with %s passed validation", tc.desc)
			}
		})
	}
}

// TestOtherEcosystemsValidate: documents of images ingot did not build
// (FromImage) carry licences as their ecosystems write them; the output
// must still validate, and a Document with nothing known must too.
func TestOtherEcosystemsValidate(t *testing.T) {
	for _, tc := range []struct {
		desc string
		doc  *Document
	}{
		{"odd licences", &Document{
			Image: Image{Name: "docker.io/library/node", Platform: "linux/arm64/v8"},
			Packages: []Package{
				{Ecosystem: Npm, Name: "@scope/pkg", Version: "1.0.0", PURL: NpmPURL("@scope/pkg", "1.0.0"), Licenses: []string{"SEE LICENSE IN LICENSE.md"}, Layer: -1},
				{Ecosystem: Npm, Name: "left-pad", Version: "1.3.0", PURL: NpmPURL("left-pad", "1.3.0"), Licenses: []string{"WTFPL OR MIT", "(MIT"}, Layer: -1},
				{Ecosystem: PyPI, Name: "Requests_OAuth", Version: "2.0", PURL: PyPIPURL("Requests_OAuth", "2.0"), Licenses: []string{"Apache 2.0", "BSD", "GPL-2.0+"}, Layer: 3},
				{Ecosystem: Golang, Name: "stdlib", Version: "go1.22.5", Layer: -1, Locations: []string{"/app/server"}},
				{Ecosystem: Golang, Name: "stdlib", Version: "go1.22.5", Layer: -1, Locations: []string{"/app/server"}},
			},
		}},
		{"empty", &Document{}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			var s, c bytes.Buffer
			if err := WriteSPDX(&s, tc.doc); err != nil {
				t.Fatal(err)
			}
			if err := WriteCycloneDX(&c, tc.doc); err != nil {
				t.Fatal(err)
			}
			if err := sbomtest.ValidateSPDX(s.Bytes()); err != nil {
				t.Errorf("SPDX: %v\n%s", err, s.String())
			}
			if err := sbomtest.ValidateCycloneDX(c.Bytes()); err != nil {
				t.Errorf("CycloneDX: %v\n%s", err, c.String())
			}
		})
	}
}
