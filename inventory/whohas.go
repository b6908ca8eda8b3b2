package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// Query asks which images hold a package: by Name (the package's name or,
// for Debian, its source package's name) with an optional version
// Constraint, or by PURL.
type Query struct {
	Name       string
	Constraint Constraint
	// PURL without a version matches every package whose purl, without
	// version and qualifiers, is PURL or lies under it (PURL + "/...");
	// with a version, the packages of that purl and version (and, if
	// PURL has qualifiers, that exact purl).
	PURL string
}

// Hit is one package in one layer of one image: who must act on it.
type Hit struct {
	Image Image `json:"image"`
	// Layer is the layer's ingot name ("os", "app"), "" if unknown.
	Layer  string `json:"layer,omitempty"`
	DiffID string `json:"diffID"`
	// Owner is who must act: the owner of the layer.
	Owner string `json:"owner,omitempty"`
	// Origin is "base" if the package came with the base image (BaseName
	// names it when known), "app" if with the image's own layers.
	Origin   string `json:"origin"`
	BaseName string `json:"baseName,omitempty"`

	Ecosystem     string `json:"ecosystem"`
	Package       string `json:"package"`
	Version       string `json:"version"`
	Arch          string `json:"arch,omitempty"`
	Source        string `json:"source,omitempty"`
	SourceVersion string `json:"sourceVersion,omitempty"`
	PURL          string `json:"purl,omitempty"`
	// BySource is set when the query named the package's Debian source
	// package, not the package itself (who-has openssl finds libssl3).
	BySource bool `json:"bySource,omitempty"`
	// Comparator is the version ordering the constraint was checked with.
	Comparator string `json:"comparator,omitempty"`
}

// Origins of a package.
const (
	OriginBase = "base"
	OriginApp  = "app"
)

// layerPackage is one row of layer_packages.
type layerPackage struct {
	diffID, ecosystem, name, version, arch, source, sourceVersion, purl string
}

// WhoHas returns every image holding a package that matches q, one Hit per
// image, layer and package, ordered by package, version, repository and digest.
func (s *Store) WhoHas(ctx context.Context, q Query) ([]Hit, error) {
	if (q.Name == "") == (q.PURL == "") {
		return nil, fmt.Errorf("asking who has a package: give a package name or a purl, not both or neither")
	}
	pkgs, err := s.matchPackages(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	byLayer := make(map[string][]layerPackage)
	var diffIDs []any
	for _, p := range pkgs {
		if _, ok := byLayer[p.diffID]; !ok {
			diffIDs = append(diffIDs, p.diffID)
		}
		byLayer[p.diffID] = append(byLayer[p.diffID], p)
	}
	owners, err := s.handOwners(ctx)
	if err != nil {
		return nil, err
	}
	var hits []Hit
	var images []Image
	for chunk := range slices.Chunk(diffIDs, idBatch) {
		qs := "SELECT " + imageColumns + `, il.diff_id, il.base, l.name, l.owner
			FROM image_layers il JOIN images i ON i.id = il.image_id JOIN layers l ON l.diff_id = il.diff_id
			WHERE il.diff_id IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(qs), chunk...)
		if err != nil {
			return nil, fmt.Errorf("reading the images that hold %s: %w", q.describe(), err)
		}
		for rows.Next() {
			var diffID, lname, lowner string
			var base bool
			im, err := scanImage(rows, &diffID, &base, &lname, &lowner)
			if err != nil {
				rows.Close()
				return nil, err
			}
			images = append(images, im)
			for _, p := range byLayer[diffID] {
				h := Hit{
					Layer: lname, DiffID: diffID, Origin: OriginApp,
					Ecosystem: p.ecosystem, Package: p.name, Version: p.version, Arch: p.arch,
					Source: p.source, SourceVersion: p.sourceVersion, PURL: p.purl,
					BySource: q.Name != "" && p.name != q.Name,
				}
				h.Image.id = im.id
				if base {
					h.Origin, h.BaseName = OriginBase, im.BaseName
				}
				h.Owner = lowner // resolved below, once the images carry hand-set owners
				if len(q.Constraint.terms) > 0 {
					h.Comparator = Comparator(p.ecosystem)
				}
				hits = append(hits, h)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := s.decorate(ctx, images); err != nil {
		return nil, err
	}
	byID := make(map[int64]Image, len(images))
	for _, im := range images {
		byID[im.id] = im
	}
	intro, err := s.introducers(ctx, owners, diffIDs)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		h := &hits[i]
		h.Image = byID[h.Image.id]
		h.Owner = layerOwner(owners, h.Image, h.Layer, h.Owner, h.Origin == OriginBase, intro[h.DiffID])
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(
			cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.Version, b.Version),
			cmp.Compare(a.Image.Repository, b.Image.Repository),
			cmp.Compare(a.Image.Digest, b.Image.Digest),
			cmp.Compare(a.DiffID, b.DiffID),
		)
	})
	return hits, nil
}

func (q Query) describe() string {
	if q.PURL != "" {
		return q.PURL
	}
	if len(q.Constraint.terms) > 0 {
		return q.Name + " " + q.Constraint.String()
	}
	return q.Name
}

// matchPackages returns the layer packages q selects, constraint applied.
func (s *Store) matchPackages(ctx context.Context, q Query) ([]layerPackage, error) {
	const cols = "SELECT diff_id, ecosystem, name, version, arch, source, source_version, purl FROM layer_packages WHERE "
	var where string
	var args []any
	if q.Name != "" {
		where, args = "name = ? UNION ALL "+cols+"source = ? AND name <> ?", []any{q.Name, q.Name, q.Name}
	} else {
		base := PURLBase(q.PURL)
		if v := purlVersion(q.PURL); v != "" {
			where, args = "purl_base = ? AND version = ?", []any{base, v}
		} else {
			prefix := strings.TrimSuffix(base, "/") + "/"
			where, args = "purl_base = ? OR (purl_base >= ? AND purl_base < ?)", []any{base, prefix, prefix + "\U0010FFFF"}
		}
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(cols+where), args...)
	if err != nil {
		return nil, fmt.Errorf("looking up %s in the inventory: %w", q.describe(), err)
	}
	defer rows.Close()
	var out []layerPackage
	exact := q.PURL != "" && strings.ContainsAny(q.PURL, "?#")
	for rows.Next() {
		var p layerPackage
		if err := rows.Scan(&p.diffID, &p.ecosystem, &p.name, &p.version, &p.arch, &p.source, &p.sourceVersion, &p.purl); err != nil {
			return nil, err
		}
		if exact && p.purl != q.PURL {
			continue
		}
		ok, err := q.Constraint.Match(p.ecosystem, p.version)
		if err != nil {
			// A version the ecosystem cannot order: report it rather than hide it.
			return nil, fmt.Errorf("checking %s %s of layer %s against %q: %w", p.name, p.version, ShortID(p.diffID), q.Constraint, err)
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}
