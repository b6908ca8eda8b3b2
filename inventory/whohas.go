package inventory

import (
	"cmp"
	"context"
	"database/sql"
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

// pkgRow is one row of packages.
type pkgRow struct {
	id                                                          int64
	ecosystem, name, version, arch, source, sourceVersion, purl string
}

// layerRow is a layer holding matched packages.
type layerRow struct {
	diffID, name, owner string
	pkgs                []*pkgRow
}

// WhoHas returns every image holding a package that matches q, one Hit per
// image, layer and package, ordered by package, version, repository and digest.
//
// It works from the package outward: the few package rows of the name (the
// constraint checked once per distinct version), the layers holding them,
// then the images holding those layers.
func (s *Store) WhoHas(ctx context.Context, q Query) ([]Hit, error) {
	if (q.Name == "") == (q.PURL == "") {
		return nil, fmt.Errorf("asking who has a package: give a package name or a purl, not both or neither")
	}
	pkgs, err := s.matchPackages(ctx, q)
	if err != nil || len(pkgs) == 0 {
		return nil, err
	}
	layers, err := s.layersHolding(ctx, pkgs)
	if err != nil {
		return nil, fmt.Errorf("reading the layers that hold %s: %w", q.describe(), err)
	}
	layerIDs := make([]any, 0, len(layers))
	for id := range layers {
		layerIDs = append(layerIDs, id)
	}
	slices.SortFunc(layerIDs, func(a, b any) int { return cmp.Compare(a.(int64), b.(int64)) })
	owners, err := s.handOwners(ctx)
	if err != nil {
		return nil, err
	}
	intro, err := s.introducers(ctx, owners, layerIDs)
	if err != nil {
		return nil, err
	}
	type hold struct {
		image int
		layer int64
		base  bool
	}
	var holds []hold
	var imageIDs []int64
	imageIdx := make(map[int64]int)
	for chunk := range slices.Chunk(layerIDs, idBatch) {
		qs := "SELECT layer_id, image_id, base FROM image_layers WHERE layer_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(qs), chunk...)
		if err != nil {
			return nil, fmt.Errorf("reading the images that hold %s: %w", q.describe(), err)
		}
		for rows.Next() {
			var h hold
			var id int64
			if err := rows.Scan(&h.layer, &id, &h.base); err != nil {
				rows.Close()
				return nil, err
			}
			idx, ok := imageIdx[id]
			if !ok {
				idx = len(imageIDs)
				imageIdx[id] = idx
				imageIDs = append(imageIDs, id)
			}
			h.image = idx
			holds = append(holds, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	images, err := s.imagesByID(ctx, imageIDs, imageIdx)
	if err != nil {
		return nil, fmt.Errorf("reading the images that hold %s: %w", q.describe(), err)
	}
	for i := range images {
		if o, ok := owners[ownerKey{images[i].Repository, ""}]; ok {
			images[i].Owner = o
		}
	}
	// Order by package, version, repository, digest and layer on small
	// keys, then build the hits in that order: sorting the hits themselves
	// costs more than the query when a package is in every image.
	imgRank := make([]int, len(images))
	order := make([]int, len(images))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(images[a].Repository, images[b].Repository), strings.Compare(images[a].Digest, images[b].Digest))
	})
	for r, i := range order {
		imgRank[i] = r
	}
	pkgRank := make(map[*pkgRow]int, len(pkgs))
	sorted := slices.Clone(pkgs)
	slices.SortFunc(sorted, func(a, b *pkgRow) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.version, b.version), cmp.Compare(a.id, b.id))
	})
	for r, p := range sorted {
		pkgRank[p] = r
	}
	type key struct {
		pkg, img, hold int
		p              *pkgRow
	}
	keys := make([]key, 0, len(holds))
	for hi, h := range holds {
		for _, p := range layers[h.layer].pkgs {
			keys = append(keys, key{pkgRank[p], imgRank[h.image], hi, p})
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.pkg != b.pkg {
			return a.pkg - b.pkg
		}
		if a.img != b.img {
			return a.img - b.img
		}
		return strings.Compare(layers[holds[a.hold].layer].diffID, layers[holds[b.hold].layer].diffID)
	})
	hits := make([]Hit, 0, len(keys))
	for _, k := range keys {
		h := holds[k.hold]
		im := images[h.image]
		l := layers[h.layer]
		p := k.p
		hit := Hit{
			Image: im, Layer: l.name, DiffID: l.diffID, Owner: layerOwner(owners, im, l.name, l.owner, h.base, intro[h.layer]), Origin: OriginApp,
			Ecosystem: p.ecosystem, Package: p.name, Version: p.version, Arch: p.arch,
			Source: p.source, SourceVersion: p.sourceVersion, PURL: p.purl,
			BySource: q.Name != "" && p.name != q.Name,
		}
		if h.base {
			hit.Origin, hit.BaseName = OriginBase, im.BaseName
		}
		if len(q.Constraint.terms) > 0 {
			hit.Comparator = Comparator(p.ecosystem)
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

// fullScanFactor: imagesByID scans whole tables when it needs more than
// 1/fullScanFactor of the images. Tests set 0 to force lookups.
var fullScanFactor int64 = 8

// imagesByID returns the images of ids (in that order, idx maps id to
// position) with their tags. When the images are a good part of the fleet
// (a package in every base), reading the whole image directory costs less
// than looking each one up; on SQLite the directory is cached for as long as
// the store does not change.
func (s *Store) imagesByID(ctx context.Context, ids []int64, idx map[int64]int) ([]Image, error) {
	images := make([]Image, len(ids))
	const cols = "SELECT id, repository, digest, platform, owner, index_digest, base_name FROM images"
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var im Image
			if err := rows.Scan(&im.id, &im.Repository, &im.Digest, &im.Platform, &im.Owner, &im.IndexDigest, &im.BaseName); err != nil {
				return err
			}
			if i, ok := idx[im.id]; ok {
				images[i] = im
			}
		}
		return rows.Err()
	}
	var maxID int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM images").Scan(&maxID); err != nil {
		return nil, err
	}
	if int64(len(ids))*fullScanFactor > maxID {
		dir, err := s.imageDirectory(ctx)
		if err != nil {
			return nil, err
		}
		complete := true
		for i, id := range ids {
			im, ok := dir.images[id]
			if !ok { // written after the directory was read: look them all up
				complete = false
				break
			}
			im.Tags = slices.Clone(im.Tags)
			images[i] = im
		}
		if complete {
			return images, nil
		}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	for chunk := range slices.Chunk(args, idBatch) {
		rows, err := s.db.QueryContext(ctx, s.d.rebind(cols+" WHERE id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")"), chunk...)
		if err != nil {
			return nil, err
		}
		if err := scan(rows); err != nil {
			return nil, err
		}
	}
	tags, err := s.tagsOf(ctx, images)
	if err != nil {
		return nil, err
	}
	for i := range images {
		im := &images[i]
		im.Tags = tags[im.Repository+"@"+im.Digest]
		if im.IndexDigest != "" {
			im.Tags = append(im.Tags, tags[im.Repository+"@"+im.IndexDigest]...)
			slices.Sort(im.Tags)
		}
	}
	return images, nil
}

// layersHolding returns the layers that hold pkgs, by layer id.
func (s *Store) layersHolding(ctx context.Context, pkgs []*pkgRow) (map[int64]*layerRow, error) {
	byID := make(map[int64]*pkgRow, len(pkgs))
	ids := make([]any, 0, len(pkgs))
	for _, p := range pkgs {
		byID[p.id] = p
		ids = append(ids, p.id)
	}
	out := make(map[int64]*layerRow)
	for chunk := range slices.Chunk(ids, idBatch) {
		q := `SELECT lp.package_id, l.id, l.diff_id, l.name, l.owner FROM layer_packages lp JOIN layers l ON l.id = lp.layer_id
			WHERE lp.package_id IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(q), chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var pid, lid int64
			var l layerRow
			if err := rows.Scan(&pid, &lid, &l.diffID, &l.name, &l.owner); err != nil {
				rows.Close()
				return nil, err
			}
			cur, ok := out[lid]
			if !ok {
				cur = &l
				out[lid] = cur
			}
			cur.pkgs = append(cur.pkgs, byID[pid])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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

// matchPackages returns the packages q selects, constraint applied.
func (s *Store) matchPackages(ctx context.Context, q Query) ([]*pkgRow, error) {
	const cols = "SELECT id, ecosystem, name, version, arch, source, source_version, purl FROM packages WHERE "
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
	var out []*pkgRow
	exact := q.PURL != "" && strings.ContainsAny(q.PURL, "?#")
	for rows.Next() {
		p := new(pkgRow)
		if err := rows.Scan(&p.id, &p.ecosystem, &p.name, &p.version, &p.arch, &p.source, &p.sourceVersion, &p.purl); err != nil {
			return nil, err
		}
		if exact && p.purl != q.PURL {
			continue
		}
		ok, err := q.Constraint.Match(p.ecosystem, p.version)
		if err != nil {
			return nil, fmt.Errorf("checking %s %s against %q: %w", p.name, p.version, q.Constraint, err)
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}
