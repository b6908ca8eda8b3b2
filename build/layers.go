package build

import (
	"archive/tar"
	"fmt"
	"time"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/image/layer"
)

// pkgLayer is one spec layer of one architecture, before encoding.
type pkgLayer struct {
	name, owner string
	builder     *layer.Builder
	pkgs        []*pkg
}

// packageLayers splits pkgs (lock order) into the spec's layers and adds
// their files, dated as layerEpochs says, never later than epoch (the
// build's SOURCE_DATE_EPOCH). The first layer gets the merged-/usr
// symlinks. The same
// regular file shipped by packages of two different layers is an error
// naming both (the upper one would silently shadow the lower one).
func packageLayers(s *spec.Spec, arch string, pkgs []*pkg, epoch time.Time) ([]*pkgLayer, error) {
	requests := make([][]string, len(s.Layers))
	for i, l := range s.Layers {
		requests[i] = l.Packages
	}
	metas := make([]*debian.Package, len(pkgs))
	for i, p := range pkgs {
		metas[i] = p.meta
	}
	layerOf, err := assign(requests, metas)
	if err != nil {
		return nil, fmt.Errorf("splitting the %s packages into layers: %w", arch, err)
	}
	epochs := layerEpochs(len(s.Layers), pkgs, layerOf, epoch)
	out := make([]*pkgLayer, len(s.Layers))
	for i, l := range s.Layers {
		out[i] = &pkgLayer{name: l.Name, owner: l.Owner.String(), builder: layer.NewBuilder(layer.WithEpoch(epochs[i]))}
	}
	if err := out[0].builder.Add("merged-/usr", layer.MergedUsrLinks(arch)...); err != nil {
		return nil, fmt.Errorf("adding the merged-/usr links: %w", err)
	}
	type owner struct {
		pkg   string
		layer int
	}
	files := map[string]owner{}
	for _, p := range pkgs {
		i := layerOf[p.meta.Name]
		for _, e := range p.archive.Entries {
			if e.Type != tar.TypeReg && e.Type != tar.TypeRegA {
				continue
			}
			mp := layer.MergedPath(e.Path)
			if prev, ok := files[mp]; ok && prev.layer != i {
				return nil, fmt.Errorf("%s: /%s is shipped by %s (layer %s) and %s (layer %s): put both packages in the same layer or drop one",
					arch, mp, prev.pkg, s.Layers[prev.layer].Name, p.meta.Name, s.Layers[i].Name)
			}
			files[mp] = owner{p.meta.Name, i}
		}
		if err := out[i].builder.Add(p.meta.Name, p.archive.Entries...); err != nil {
			return nil, fmt.Errorf("layer %s (%s): %w", s.Layers[i].Name, arch, err)
		}
		out[i].pkgs = append(out[i].pkgs, p)
	}
	return out, nil
}

// layerEpochs returns the mtime of every entry of each of n package layers:
// the newest data.tar mtime of the layer's packages, clamped to at most
// epoch, or Unix time 0 for a layer without packages. A layer's bytes then
// depend only on its packages, not on the lock's sourceDateEpoch (the
// newest Release date, which moves with every lock refresh): a base update
// changes only the layers whose packages changed, so a fleet rebase mounts,
// and nodes pull, only those. Debian builds each .deb with its own
// SOURCE_DATE_EPOCH (its changelog date), so the newest mtime dates the
// layer's content and never changes without it. One mtime per layer, not
// each entry's own: the layer reads as one unit, as before.
func layerEpochs(n int, pkgs []*pkg, layerOf map[string]int, epoch time.Time) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Unix(0, 0).UTC()
	}
	for _, p := range pkgs {
		i := layerOf[p.meta.Name]
		if mt := p.archive.ModTime; mt.After(out[i]) {
			out[i] = mt
		}
	}
	for i, t := range out {
		if t.After(epoch) {
			out[i] = epoch
		}
		out[i] = out[i].Truncate(time.Second).UTC()
	}
	return out
}
