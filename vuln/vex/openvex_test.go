package vex

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

func sample() []Decision {
	return []Decision{
		decision(vuln.StatusNotAffected, func(d *Decision) { d.Image = repo + "@" + digest; d.Note = "not loaded" }),
		decision(vuln.StatusFixed, func(d *Decision) { d.Image = repo + "@" + digest; d.PURL = ssl }),
		decision(vuln.StatusAffected, func(d *Decision) { d.Vuln = "CVE-2024-0002"; d.Repo = repo; d.Author = "bob" }),
		decision(vuln.StatusUnderInvestigation, func(d *Decision) {
			d.Vuln = "GO-2023-2102"
			d.PURL = "pkg:golang/golang.org/x/net@0.7.0"
			d.Timestamp = when.AddDate(0, 0, 1)
		}),
		decision(vuln.StatusNotAffected, func(d *Decision) {
			d.Vuln = "CVE-2024-0003"
			d.PURL = "pkg:deb/debian/curl"
			d.Justification, d.Impact = "", "curl is only used at build time"
		}),
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	first, err := Export(sample())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Read(bytes.NewReader(first))
	if err != nil {
		t.Fatalf("reading our own export: %v\n%s", err, first)
	}
	second, err := Export(ds)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", first, second)
	}
	if golden := "testdata/sample.openvex.json"; os.Getenv("UPDATE_GOLDEN") != "" {
		os.WriteFile(golden, first, 0o644)
	} else if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(want, first) {
		t.Errorf("export differs from %s (UPDATE_GOLDEN=1 to rewrite): %v\n%s", golden, err, first)
	}
	// Scopes and fields survive (authors merge into the document's author).
	for i := range ds {
		ds[i].Author = ""
	}
	want := sample()
	for i := range want {
		want[i].Author = ""
	}
	sortDecisions(want)
	if !reflect.DeepEqual(ds, want) {
		t.Errorf("imported\n%+v\nwant\n%+v", ds, want)
	}
	var doc Document
	if err := json.Unmarshal(first, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Author != "alice, bob" || doc.Timestamp != "2026-11-21T10:00:00Z" || !strings.HasPrefix(doc.ID, idPrefix) {
		t.Errorf("document header = %q %q %q", doc.Author, doc.Timestamp, doc.ID)
	}
}

// TestProductIsTheSBOMPURL: an exported image product is the purl ingot's
// SBOMs give the image, so VEX products match SBOM components; files written
// before, with the digest's colon unencoded, still read the same.
func TestProductIsTheSBOMPURL(t *testing.T) {
	out, err := Export(sample()[:1])
	if err != nil {
		t.Fatal(err)
	}
	want := sbom.ImagePURL(repo, digest, "")
	if !strings.Contains(want, "@sha256%3A") {
		t.Fatalf("sbom.ImagePURL = %s, which does not encode the digest's colon", want)
	}
	var doc Document
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Statements[0].Products[0].ID; got != want {
		t.Errorf("product @id = %s, want the SBOM's %s", got, want)
	}
	for _, tc := range []struct{ desc, from, to string }{
		{"encoded colon", "", ""},
		{"unencoded colon", "@sha256%3A", "@sha256:"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			in := strings.ReplaceAll(string(out), tc.from, tc.to)
			if tc.from != "" && in == string(out) {
				t.Fatalf("%q is not in the document", tc.from)
			}
			ds, err := Read(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].Image != repo+"@"+digest {
				t.Errorf("read %+v, want the image %s@%s", ds, repo, digest)
			}
		})
	}
}

func TestExportIDDependsOnContent(t *testing.T) {
	a, _ := Export(sample())
	s := sample()
	s[0].Note = "changed"
	b, _ := Export(s)
	var da, db Document
	json.Unmarshal(a, &da)
	json.Unmarshal(b, &db)
	if da.ID == db.ID {
		t.Error("two different documents got the same @id")
	}
	if _, err := Export(nil); err == nil {
		t.Error("exporting nothing succeeded")
	}
}

func TestReadRejects(t *testing.T) {
	good, err := Export(sample())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ desc, from, to string }{
		{"not JSON", `{`, `[`},
		{"wrong context", Context, "https://example.com/vex"},
		{"no author", `"author": "alice, bob"`, `"author": ""`},
		{"no document timestamp", `"timestamp": "2026-11-21T10:00:00Z",
  "version"`, `"timestamp": "",
  "version"`},
		{"bad status", `"status": "fixed"`, `"status": "wontfix"`},
		{"not_affected without justification or impact", `"justification": "vulnerable_code_not_in_execute_path"`, `"justification": ""`},
		{"unknown justification", `"justification": "vulnerable_code_not_in_execute_path"`, `"justification": "trust me"`},
		{"affected without action", `"action_statement": "update openssl"`, `"action_statement": ""`},
		{"product not a purl", `"@id": "pkg:golang/golang.org/x/net@0.7.0"`, `"@id": "golang.org/x/net"`},
		{"no vulnerability", `"name": "GO-2023-2102"`, `"name": ""`},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			in := strings.Replace(string(good), tc.from, tc.to, 1)
			if in == string(good) {
				t.Fatalf("the test's replacement %q is not in the document", tc.from)
			}
			_, err := Read(strings.NewReader(in))
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Read() = %v, want an ErrInvalid", err)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	good, _ := Export(sample())
	f.Add(good)
	f.Add([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2026-01-01T00:00:00Z","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:oci/x"}],"status":"fixed"}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, d := range ds {
			if err := d.Validate(); err != nil {
				t.Fatalf("Read returned an invalid decision: %v", err)
			}
		}
		if len(ds) == 0 {
			return
		}
		out, err := Export(ds)
		if err != nil {
			t.Fatalf("exporting imported decisions: %v", err)
		}
		again, err := Read(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reading our export of imported decisions: %v\n%s", err, out)
		}
		out2, _ := Export(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("export is not stable:\n%s\n%s", out, out2)
		}
	})
}
