package inventory

import (
	"context"
	"fmt"

	"github.com/ingot-dev/ingot/internal/ref"
)

// Detail is everything the inventory knows about one image.
type Detail struct {
	Image  Image         `json:"image"`
	Layers []LayerDetail `json:"layers"`
	// Lineage is the chain of bases, nearest first, up to the root. A base
	// the inventory does not hold appears with only its name and digest,
	// and ends the chain.
	Lineage []Image `json:"lineage,omitempty"`
}

// LayerDetail is one layer of an image with its packages. Position is -1
// for the packages whose layer the image's SBOM did not know.
type LayerDetail struct {
	Position int       `json:"position"`
	DiffID   string    `json:"diffID"`
	Digest   string    `json:"digest,omitempty"`
	Name     string    `json:"name,omitempty"`
	Owner    string    `json:"owner,omitempty"`
	Origin   string    `json:"origin"`
	Packages []Package `json:"packages"`
}

// Package is one package of a layer.
type Package struct {
	Ecosystem     string `json:"ecosystem"`
	Name          string `json:"name"`
	Version       string `json:"version"`
	Arch          string `json:"arch,omitempty"`
	Source        string `json:"source,omitempty"`
	SourceVersion string `json:"sourceVersion,omitempty"`
	PURL          string `json:"purl,omitempty"`
}

// ShowOption configures Show.
type ShowOption func(*showOptions)

type showOptions struct{ lineage bool }

// WithoutLineage leaves Detail.Lineage empty, for readers that need only
// the image's own layers and packages (a fleet rebase recording each
// rebased image). Default: the lineage is read.
func WithoutLineage() ShowOption { return func(o *showOptions) { o.lineage = false } }

// Show returns the details of every image ref names (see Resolve).
func (s *Store) Show(ctx context.Context, ref string, opts ...ShowOption) ([]Detail, error) {
	o := showOptions{lineage: true}
	for _, f := range opts {
		f(&o)
	}
	images, err := s.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	owners, err := s.handOwners(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Detail, 0, len(images))
	for _, im := range images {
		d := Detail{Image: im}
		if d.Layers, err = s.layers(ctx, im, owners); err != nil {
			return nil, fmt.Errorf("reading the layers of %s: %w", im.Ref(), err)
		}
		if o.lineage {
			if d.Lineage, err = s.lineage(ctx, im); err != nil {
				return nil, fmt.Errorf("reading the lineage of %s: %w", im.Ref(), err)
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Store) layers(ctx context.Context, im Image, owners map[ownerKey]string) ([]LayerDetail, error) {
	rows, err := s.query(ctx, `SELECT il.position, il.layer_id, l.diff_id, il.base, l.digest, l.name, l.owner
		FROM image_layers il JOIN layers l ON l.id = il.layer_id WHERE il.image_id = ? ORDER BY il.position`, im.id)
	if err != nil {
		return nil, err
	}
	var out []LayerDetail
	var ids []any
	for rows.Next() {
		var l LayerDetail
		var base bool
		var id int64
		if err := rows.Scan(&l.Position, &id, &l.DiffID, &base, &l.Digest, &l.Name, &l.Owner); err != nil {
			rows.Close()
			return nil, err
		}
		l.Origin = OriginApp
		if base {
			l.Origin = OriginBase
		}
		out = append(out, l)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) > 0 && out[0].Position == -1 { // unknown layer last
		out, ids = append(out[1:], out[0]), append(ids[1:], ids[0])
	}
	intro, err := s.introducers(ctx, owners, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		l := &out[i]
		l.Owner = layerOwner(owners, im, l.Name, l.Owner, l.Origin == OriginBase, intro[ids[i].(int64)])
		if l.Packages, err = s.packages(ctx, ids[i].(int64)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) packages(ctx context.Context, layerID int64) ([]Package, error) {
	rows, err := s.query(ctx, `SELECT p.ecosystem, p.name, p.version, p.arch, p.source, p.source_version, p.purl
		FROM layer_packages lp JOIN packages p ON p.id = lp.package_id WHERE lp.layer_id = ? ORDER BY p.ecosystem, p.name, p.version, p.arch`, layerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Package{}
	for rows.Next() {
		var p Package
		if err := rows.Scan(&p.Ecosystem, &p.Name, &p.Version, &p.Arch, &p.Source, &p.SourceVersion, &p.PURL); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// lineage follows base digests from im up to the root.
func (s *Store) lineage(ctx context.Context, im Image) ([]Image, error) {
	var out []Image
	seen := map[string]bool{im.Digest: true}
	for cur := im; cur.BaseDigest != "" || cur.BaseName != ""; {
		if len(out) >= maxDepth || seen[cur.BaseDigest] {
			return out, fmt.Errorf("lineage of %s loops or is deeper than %d", im.Ref(), maxDepth)
		}
		seen[cur.BaseDigest] = true
		var found []Image
		var err error
		if cur.BaseDigest != "" {
			found, err = s.queryImages(ctx, "i.digest = ? OR i.index_digest = ?", cur.BaseDigest, cur.BaseDigest)
			if err != nil {
				return nil, err
			}
		}
		next := Image{Repository: ref.Repository(cur.BaseName), Digest: cur.BaseDigest}
		if len(found) > 0 {
			next = found[0]
			for _, f := range found { // prefer the named repository and the same platform
				if f.Repository == ref.Repository(cur.BaseName) && (f.Platform == im.Platform || next.Repository != f.Repository) {
					next = f
				}
			}
		}
		out = append(out, next)
		if len(found) == 0 {
			break
		}
		cur = next
	}
	return out, nil
}
