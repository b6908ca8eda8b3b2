package vex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/ingot-dev/ingot/vuln"
)

// Bounds of an imported document.
const (
	MaxDocument   = 32 << 20
	maxStatements = 100000
	maxScopes     = 1000 // products × subcomponents of one statement
)

// Read reads an OpenVEX 0.2 document (at most MaxDocument bytes) and returns
// its decisions, one per statement and product (and subcomponent). It checks
// what VEX requires: the context, @id, author and timestamp; every
// statement's vulnerability, products and status; a justification only with,
// and a justification or impact statement for, not_affected; an action
// statement for affected. Products must be purls: pkg:oci with a digest is
// an image, without one a repository; anything else a package. Errors wrap
// ErrInvalid and say which statement is wrong.
func Read(r io.Reader) ([]Decision, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("reading the OpenVEX document: %w", err)
	}
	if len(data) > MaxDocument {
		return nil, fmt.Errorf("%w: OpenVEX document larger than %d bytes", ErrInvalid, MaxDocument)
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: not OpenVEX JSON: %v", ErrInvalid, err)
	}
	if !strings.HasPrefix(doc.Context, "https://openvex.dev/ns/v0.2") {
		return nil, fmt.Errorf("%w: @context %q is not OpenVEX 0.2 (%s)", ErrInvalid, doc.Context, Context)
	}
	switch {
	case doc.ID == "":
		return nil, fmt.Errorf("%w: the document has no @id", ErrInvalid)
	case strings.TrimSpace(doc.Author) == "":
		return nil, fmt.Errorf("%w: the document has no author", ErrInvalid)
	case len(doc.Statements) > maxStatements:
		return nil, fmt.Errorf("%w: more than %d statements", ErrInvalid, maxStatements)
	}
	docTime, err := parseTime(doc.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("%w: the document's timestamp: %v", ErrInvalid, err)
	}
	var out []Decision
	for i, st := range doc.Statements {
		ds, err := decisions(st, doc.Author, docTime)
		if err != nil {
			return nil, fmt.Errorf("statement %d (%s): %w", i+1, st.Vulnerability.Name, err)
		}
		out = append(out, ds...)
	}
	return out, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

func decisions(st Statement, author string, docTime time.Time) ([]Decision, error) {
	ts := docTime
	if st.Timestamp != "" {
		t, err := parseTime(st.Timestamp)
		if err != nil {
			return nil, fmt.Errorf("%w: timestamp: %v", ErrInvalid, err)
		}
		ts = t
	}
	name := st.Vulnerability.Name
	if name == "" {
		name = st.Vulnerability.ID
	}
	if len(st.Products) == 0 {
		return nil, fmt.Errorf("%w: no products", ErrInvalid)
	}
	base := Decision{Vuln: name, Status: statusOf(st.Status), Justification: st.Justification,
		Impact: st.ImpactStatement, Action: st.ActionStatement, Note: st.StatusNotes, Author: author, Timestamp: ts}
	var out []Decision
	for _, p := range st.Products {
		scopes, err := scopesOf(p)
		if err != nil {
			return nil, err
		}
		for _, sc := range scopes {
			d := base
			d.Image, d.Repo, d.PURL = sc.Image, sc.Repo, sc.PURL
			if err := d.Validate(); err != nil {
				return nil, err
			}
			out = append(out, d)
			if len(out) > maxScopes {
				return nil, fmt.Errorf("%w: more than %d products and subcomponents", ErrInvalid, maxScopes)
			}
		}
	}
	return out, nil
}

func statusOf(s string) vuln.Status { return vuln.Status(s) }

// scopesOf returns the scopes a product names: itself, or each subcomponent
// in it.
func scopesOf(p Product) ([]Decision, error) {
	id, err := componentPURL(p.Component)
	if err != nil {
		return nil, err
	}
	var outer Decision
	pu, err := packageurl.FromString(id)
	if err != nil {
		return nil, fmt.Errorf("%w: product %q is not a purl: %v", ErrInvalid, id, err)
	}
	if pu.Type == packageurl.TypeOCI {
		repo := pu.Qualifiers.Map()["repository_url"]
		if repo == "" {
			repo = pu.Name
		}
		if pu.Version != "" {
			outer.Image = repo + "@" + pu.Version
		} else {
			outer.Repo = repo
		}
	} else {
		outer.PURL = id
	}
	if len(p.Subcomponents) == 0 {
		return []Decision{outer}, nil
	}
	if len(p.Subcomponents) > maxScopes {
		return nil, fmt.Errorf("%w: more than %d subcomponents", ErrInvalid, maxScopes)
	}
	var out []Decision
	for _, c := range p.Subcomponents {
		sub, err := componentPURL(c)
		if err != nil {
			return nil, err
		}
		if _, err := packageurl.FromString(sub); err != nil {
			return nil, fmt.Errorf("%w: subcomponent %q is not a purl: %v", ErrInvalid, sub, err)
		}
		d := outer
		d.PURL = sub // a package's subcomponent is more precise than the package
		out = append(out, d)
	}
	return out, nil
}

func componentPURL(c Component) (string, error) {
	id := c.ID
	if !strings.HasPrefix(id, "pkg:") {
		id = c.Identifiers["purl"]
	}
	if !strings.HasPrefix(id, "pkg:") {
		return "", fmt.Errorf("%w: product %q has no purl (ingot scopes decisions by purl)", ErrInvalid, c.ID)
	}
	return id, nil
}
