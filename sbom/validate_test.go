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
