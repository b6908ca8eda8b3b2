package inventory

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Fleet calls fn with the Detail of every image f selects, in List's order,
// without Lineage. It is Show for readers of the whole fleet (vuln/scan's
// assay): images are read in batches, and the packages of a base layer are
// read once however many images share it. Details of images sharing a layer
// share its Packages slice: fn must not modify it. An error from fn stops
// Fleet and is returned.
func (s *Store) Fleet(ctx context.Context, f Filter, fn func(Detail) error) error {
	images, err := s.List(ctx, f)
	if err != nil {
		return err
	}
	owners, err := s.handOwners(ctx)
	if err != nil {
		return err
	}
	shared := map[int64][]Package{} // base layers' packages, kept across batches
	for chunk := range slices.Chunk(images, idBatch) {
		if err := s.fleetBatch(ctx, chunk, owners, shared, fn); err != nil {
			return err
		}
	}
	return nil
}

type fleetLayer struct {
	LayerDetail
	id int64
}

func (s *Store) fleetBatch(ctx context.Context, images []Image, owners map[ownerKey]string, shared map[int64][]Package, fn func(Detail) error) error {
	ids := make([]any, len(images))
	for i, im := range images {
		ids[i] = im.id
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT il.image_id, il.position, il.layer_id, l.diff_id, il.base, l.digest, l.name, l.owner
		FROM image_layers il JOIN layers l ON l.id = il.layer_id WHERE il.image_id IN (`+inList(len(ids))+`) ORDER BY il.image_id, il.position`), ids...)
	if err != nil {
		return fmt.Errorf("reading the layers of the inventory's images: %w", err)
	}
	layers := map[int64][]fleetLayer{}
	var need []any
	needed := map[int64]bool{}
	for rows.Next() {
		var imageID int64
		var l fleetLayer
		var base bool
		if err := rows.Scan(&imageID, &l.Position, &l.id, &l.DiffID, &base, &l.Digest, &l.Name, &l.Owner); err != nil {
			rows.Close()
			return fmt.Errorf("reading the layers of the inventory's images: %w", err)
		}
		l.Origin = OriginApp
		if base {
			l.Origin = OriginBase
		}
		layers[imageID] = append(layers[imageID], l)
		if _, ok := shared[l.id]; !ok && !needed[l.id] {
			needed[l.id] = true
			need = append(need, l.id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	pkgs, err := s.layerPackages(ctx, need)
	if err != nil {
		return err
	}
	var all []any
	for id := range needed {
		all = append(all, id)
	}
	intro, err := s.introducers(ctx, owners, all)
	if err != nil {
		return err
	}
	for _, im := range images {
		ls := layers[im.id]
		if len(ls) > 0 && ls[0].Position == -1 { // unknown layer last, as Show
			ls = append(ls[1:], ls[0])
		}
		d := Detail{Image: im, Layers: make([]LayerDetail, len(ls))}
		for i, l := range ls {
			p, ok := shared[l.id]
			if !ok {
				p = pkgs[l.id]
				if p == nil {
					p = []Package{}
				}
				if l.Origin == OriginBase {
					shared[l.id] = p
				}
			}
			l.Packages = p
			d.Layers[i] = l.LayerDetail
			d.Layers[i].Owner = layerOwner(owners, im, l.Name, l.Owner, l.Origin == OriginBase, intro[l.id])
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// layerPackages returns the packages of layers (by id), each layer's sorted
// as Show sorts them.
func (s *Store) layerPackages(ctx context.Context, layerIDs []any) (map[int64][]Package, error) {
	out := map[int64][]Package{}
	for chunk := range slices.Chunk(layerIDs, idBatch) {
		rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT lp.layer_id, p.ecosystem, p.name, p.version, p.arch, p.source, p.source_version, p.purl
			FROM layer_packages lp JOIN packages p ON p.id = lp.package_id WHERE lp.layer_id IN (`+inList(len(chunk))+`)
			ORDER BY lp.layer_id, p.ecosystem, p.name, p.version, p.arch`), chunk...)
		if err != nil {
			return nil, fmt.Errorf("reading the packages of the inventory's layers: %w", err)
		}
		for rows.Next() {
			var id int64
			var p Package
			if err := rows.Scan(&id, &p.Ecosystem, &p.Name, &p.Version, &p.Arch, &p.Source, &p.SourceVersion, &p.PURL); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading the packages of the inventory's layers: %w", err)
			}
			out[id] = append(out[id], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inList returns n comma-separated placeholders.
func inList(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
