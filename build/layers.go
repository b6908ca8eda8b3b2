package build

import (
	"archive/tar"
	"fmt"
	"strings"
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
// their files. The first layer gets the merged-/usr symlinks. The same
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
	out := make([]*pkgLayer, len(s.Layers))
	for i, l := range s.Layers {
		out[i] = &pkgLayer{name: l.Name, owner: l.Owner.String(), builder: layer.NewBuilder(layer.WithEpoch(epoch))}
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
			mp := mergedPath(e.Path)
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

// mergedPath is where p lands in a merged-/usr root: bin/x is usr/bin/x.
func mergedPath(p string) string {
	top, _, _ := strings.Cut(p, "/")
	switch top {
	case "bin", "sbin", "lib", "lib32", "lib64", "libx32":
		return "usr/" + p
	}
	return p
}
