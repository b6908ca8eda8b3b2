// Package sbomtest validates SBOM documents in tests: CycloneDX 1.6 against
// the official JSON schema kept in sbom/testdata/schema, SPDX 2.3 with
// tools-golang and the schema's constraints (the official SPDX 2.3 schema is
// not available offline; see sbom/testdata/schema/README.md). It is for
// tests only; it reads the schemas from the source tree.
package sbomtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdxlib"
)

// schemaDir is sbom/testdata/schema, found from this file's location so
// that tests of any package can validate.
func schemaDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "schema")
}

// cdxSchemaBase is where the CycloneDX schemas say they live; the files are
// in testdata/schema under their own names, loaded offline.
const cdxSchemaBase = "http://cyclonedx.org/schema/"

var cdxSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	files := map[string]string{
		"bom-1.6.schema.json":           "bom-1.6.SNAPSHOT.schema.json",
		"spdx.SNAPSHOT.schema.json":     "spdx.SNAPSHOT.schema.json",
		"jsf-0.82.SNAPSHOT.schema.json": "jsf-0.82.SNAPSHOT.schema.json",
	}
	for id, file := range files {
		f, err := os.Open(filepath.Join(schemaDir(), file))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if err := c.AddResource(cdxSchemaBase+id, doc); err != nil {
			return nil, err
		}
	}
	return c.Compile(cdxSchemaBase + "bom-1.6.schema.json")
})

// ValidateCycloneDX validates a BOM against the official CycloneDX 1.6 JSON
// schema (with the SPDX licence list and JSF schemas it references).
func ValidateCycloneDX(b []byte) error {
	sch, err := cdxSchema()
	if err != nil {
		return fmt.Errorf("compiling the CycloneDX 1.6 schema: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

var (
	spdxIDPattern      = regexp.MustCompile(`^SPDXRef-[a-zA-Z0-9.-]+$`)
	spdxDatePattern    = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$`)
	spdxHexPattern     = regexp.MustCompile(`^[0-9a-f]+$`)
	spdxRelationships  = "DESCRIBES CONTAINS DEPENDS_ON GENERATED_FROM DESCENDANT_OF"
	spdxPurposes       = "APPLICATION FRAMEWORK LIBRARY CONTAINER OPERATING-SYSTEM DEVICE FIRMWARE SOURCE ARCHIVE FILE INSTALL OTHER"
	spdxPackageKeys    = "SPDXID annotations attributionTexts builtDate checksums comment copyrightText description downloadLocation externalRefs filesAnalyzed hasFiles homepage licenseComments licenseConcluded licenseDeclared licenseInfoFromFiles name originator packageFileName packageVerificationCode primaryPackagePurpose releaseDate sourceInfo summary supplier validUntilDate versionInfo"
	spdxDocumentKeys   = "$schema SPDXID annotations comment creationInfo dataLicense documentDescribes documentNamespace externalDocumentRefs files hasExtractedLicensingInfos name packages relationships revieweds snippets spdxVersion"
	spdxLicenseRefExpr = regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`)
)

// ValidateSPDX checks an SPDX 2.3 JSON document. The official SPDX 2.3 JSON
// schema could not be obtained from any package registry this project can
// reach (see sbom/testdata/schema/README.md), so this is NOT schema validation:
// it is tools-golang's reader and spdxlib.ValidateDocument, plus the
// constraints of the SPDX 2.3 schema that apply to what WriteSPDX emits
// (allowed and required properties, id, date and checksum patterns, enums,
// unique ids, declared LicenseRefs), written out here.
func ValidateSPDX(b []byte) error {
	doc, err := spdxjson.Read(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("tools-golang cannot read it: %w", err)
	}
	if err := spdxlib.ValidateDocument(doc); err != nil {
		return fmt.Errorf("spdxlib: %w", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	allowed := func(what string, obj map[string]any, keys string) {
		for k := range obj {
			if !strings.Contains(" "+keys+" ", " "+k+" ") {
				fail("%s: property %q is not in the SPDX 2.3 schema", what, k)
			}
		}
	}
	allowed("document", raw, spdxDocumentKeys)
	for _, k := range strings.Fields("spdxVersion dataLicense SPDXID name documentNamespace creationInfo") {
		if raw[k] == nil {
			fail("document: %s is required", k)
		}
	}
	if raw["spdxVersion"] != "SPDX-2.3" || raw["dataLicense"] != "CC0-1.0" || raw["SPDXID"] != "SPDXRef-DOCUMENT" {
		fail("document: wrong spdxVersion, dataLicense or SPDXID")
	}
	ci, _ := raw["creationInfo"].(map[string]any)
	allowed("creationInfo", ci, "comment created creators licenseListVersion")
	if created, _ := ci["created"].(string); !spdxDatePattern.MatchString(created) {
		fail("creationInfo.created %q does not match the schema's pattern", created)
	}
	if cs, _ := ci["creators"].([]any); len(cs) == 0 {
		fail("creationInfo.creators is empty")
	}
	ids := map[string]bool{"SPDXRef-DOCUMENT": true}
	declared := map[string]bool{}
	for _, l := range asObjects(raw["hasExtractedLicensingInfos"]) {
		id, _ := l["licenseId"].(string)
		declared[id] = true
		allowed(id, l, "comment crossRefs extractedText licenseId name seeAlsos")
		if l["extractedText"] == nil {
			fail("%s: extractedText is required", id)
		}
	}
	for _, p := range asObjects(raw["packages"]) {
		id, _ := p["SPDXID"].(string)
		allowed(id, p, spdxPackageKeys)
		if !spdxIDPattern.MatchString(id) {
			fail("package SPDXID %q does not match the schema's pattern", id)
		}
		if ids[id] {
			fail("%s: SPDXID is not unique", id)
		}
		ids[id] = true
		for _, k := range []string{"name", "downloadLocation"} {
			if p[k] == nil {
				fail("%s: %s is required", id, k)
			}
		}
		if pp, ok := p["primaryPackagePurpose"].(string); ok && !strings.Contains(" "+spdxPurposes+" ", " "+pp+" ") {
			fail("%s: primaryPackagePurpose %q", id, pp)
		}
		for _, c := range asObjects(p["checksums"]) {
			allowed(id+" checksum", c, "algorithm checksumValue")
			if c["algorithm"] != "SHA256" || !spdxHexPattern.MatchString(fmt.Sprint(c["checksumValue"])) {
				fail("%s: checksum %v", id, c)
			}
		}
		for _, a := range asObjects(p["annotations"]) {
			allowed(id+" annotation", a, "annotationDate annotationType annotator comment")
			if d, _ := a["annotationDate"].(string); !spdxDatePattern.MatchString(d) || a["annotationType"] != "OTHER" || a["annotator"] == nil || a["comment"] == nil {
				fail("%s: annotation %v", id, a)
			}
		}
		for _, r := range asObjects(p["externalRefs"]) {
			allowed(id+" externalRef", r, "comment referenceCategory referenceLocator referenceType")
			if r["referenceCategory"] != "PACKAGE-MANAGER" || r["referenceType"] != "purl" || !strings.HasPrefix(fmt.Sprint(r["referenceLocator"]), "pkg:") {
				fail("%s: externalRef %v", id, r)
			}
		}
		for _, k := range []string{"licenseDeclared", "licenseConcluded"} {
			for _, ref := range spdxLicenseRefExpr.FindAllString(fmt.Sprint(p[k]), -1) {
				if !declared[ref] {
					fail("%s: %s uses %s, which hasExtractedLicensingInfos does not declare", id, k, ref)
				}
			}
		}
	}
	for _, r := range asObjects(raw["relationships"]) {
		typ, _ := r["relationshipType"].(string)
		allowed("relationship", r, "comment relatedSpdxElement relationshipType spdxElementId")
		if !strings.Contains(" "+spdxRelationships+" ", " "+typ+" ") {
			fail("relationship type %q", typ)
		}
		for _, k := range []string{"spdxElementId", "relatedSpdxElement"} {
			if !ids[fmt.Sprint(r[k])] {
				fail("relationship %s %q names no element", k, r[k])
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func asObjects(v any) []map[string]any {
	var out []map[string]any
	arr, _ := v.([]any)
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
