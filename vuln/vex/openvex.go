package vex

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

// OpenVEX 0.2's JSON-LD context.
const Context = "https://openvex.dev/ns/v0.2.0"

// idPrefix prefixes a document's @id; the rest is a hash of its content.
const idPrefix = "https://openvex.dev/docs/public/vex-"

// Document is an OpenVEX 0.2 document.
type Document struct {
	Context    string      `json:"@context"`
	ID         string      `json:"@id"`
	Author     string      `json:"author"`
	Timestamp  string      `json:"timestamp"`
	Version    int         `json:"version"`
	Tooling    string      `json:"tooling,omitempty"`
	Statements []Statement `json:"statements"`
}

// Statement is one OpenVEX statement.
type Statement struct {
	Vulnerability   Vulnerability `json:"vulnerability"`
	Timestamp       string        `json:"timestamp,omitempty"`
	Products        []Product     `json:"products"`
	Status          string        `json:"status"`
	StatusNotes     string        `json:"status_notes,omitempty"`
	Justification   string        `json:"justification,omitempty"`
	ImpactStatement string        `json:"impact_statement,omitempty"`
	ActionStatement string        `json:"action_statement,omitempty"`
}

// Vulnerability names a statement's vulnerability.
type Vulnerability struct {
	ID      string   `json:"@id,omitempty"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// Product is a statement's product, with the components inside it the
// statement is about.
type Product struct {
	Component
	Subcomponents []Component `json:"subcomponents,omitempty"`
}

// Component is a software component, named by an IRI (a purl for ingot).
type Component struct {
	ID          string            `json:"@id,omitempty"`
	Identifiers map[string]string `json:"identifiers,omitempty"`
}

// Export returns decisions as an OpenVEX 0.2 document, indented JSON with a
// final newline. It is deterministic: one statement per decision, ordered by
// vulnerability and scope; the document's timestamp is the latest decision's,
// its author the decisions' authors, its @id a hash of the rest.
func Export(ds []Decision) ([]byte, error) {
	if len(ds) == 0 {
		return nil, fmt.Errorf("exporting VEX decisions: there are none (record some with \"ingot vex set\")")
	}
	ds = slices.Clone(ds)
	sortDecisions(ds)
	doc := Document{Context: Context, Version: 1, Tooling: "ingot"}
	var latest time.Time
	var authors []string
	for i := range ds {
		d := &ds[i]
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("exporting VEX decisions: %w", err)
		}
		if d.Timestamp.After(latest) {
			latest = d.Timestamp
		}
		if !slices.Contains(authors, d.Author) {
			authors = append(authors, d.Author)
		}
		doc.Statements = append(doc.Statements, Statement{
			Vulnerability:   Vulnerability{Name: d.Vuln},
			Timestamp:       formatTime(d.Timestamp),
			Products:        []Product{product(d)},
			Status:          string(d.Status),
			StatusNotes:     d.Note,
			Justification:   d.Justification,
			ImpactStatement: d.Impact,
			ActionStatement: d.Action,
		})
	}
	slices.Sort(authors)
	doc.Author = strings.Join(authors, ", ")
	doc.Timestamp = formatTime(latest)
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the OpenVEX document: %w", err)
	}
	sum := sha256.Sum256(body)
	doc.ID = idPrefix + hex.EncodeToString(sum[:])
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encoding the OpenVEX document: %w", err)
	}
	return out.Bytes(), nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// product returns the OpenVEX product of d's scope: the image or repository
// as the pkg:oci purl ingot's SBOMs give it (sbom.ImagePURL), with the
// package as its subcomponent, or the package.
func product(d *Decision) Product {
	var p Product
	switch {
	case d.Image != "":
		p.ID = sbom.ImagePURL(d.ImageRepo(), d.ImageDigest(), "")
	case d.Repo != "":
		p.ID = sbom.ImagePURL(d.Repo, "", "")
	default:
		p.ID = d.PURL
		return p
	}
	if d.PURL != "" {
		p.Subcomponents = []Component{{ID: d.PURL}}
	}
	return p
}

// sortDecisions orders decisions by vulnerability and scope, as Store.List does.
func sortDecisions(ds []Decision) {
	slices.SortStableFunc(ds, func(a, b Decision) int {
		return cmp.Or(cmp.Compare(a.Vuln, b.Vuln), cmp.Compare(a.Image, b.Image), cmp.Compare(a.Repo, b.Repo),
			cmp.Compare(a.PURL, b.PURL))
	})
}
