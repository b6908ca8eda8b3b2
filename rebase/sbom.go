package rebase

import (
	"fmt"
	"slices"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

// SBOM composes the rebased image's document from the new base's document
// and the app's old one, without reading any layer: the new base's layers
// and packages, then the app's own layers (the old document's layers above
// the old base) and the packages they introduced, with layer indexes moved
// by the difference in base layers. Packages of the old base are dropped;
// a package of unknown layer is kept only if the new base has no package
// of that name. The image is named after app, with the digest, platform,
// created time and base from ch (as Image or Index returned it).
func SBOM(app, newBase *sbom.Document, ch *Change) (*sbom.Document, error) {
	n := ch.OldBase.Layers
	if len(app.Image.Layers) != n+ch.AppLayers {
		return nil, fmt.Errorf("composing the SBOM of %s: the app's document lists %d layers, the image has %d", ch.NewDigest, len(app.Image.Layers), n+ch.AppLayers)
	}
	nb := len(newBase.Image.Layers)
	if nb != ch.NewBase.Layers {
		return nil, fmt.Errorf("composing the SBOM of %s: the new base's document lists %d layers, the new base has %d", ch.NewDigest, nb, ch.NewBase.Layers)
	}
	img := app.Image
	img.Tags = slices.Clone(app.Image.Tags)
	img.Digest = ch.NewDigest
	img.Platform = ch.Platform
	if t, err := time.Parse(time.RFC3339, ch.Created); err == nil {
		img.Created = t
	}
	if newBase.Image.Distro != "" {
		img.Distro = newBase.Image.Distro
	}
	img.BaseName, img.BaseDigest = ch.NewBase.Name, ch.NewBase.Digest
	if img.BaseName == "" {
		img.BaseName = ch.OldBase.Name
	}
	img.Layers = make([]sbom.Layer, 0, nb+ch.AppLayers)
	for _, l := range newBase.Image.Layers {
		l.Base = true
		img.Layers = append(img.Layers, l)
	}
	for _, l := range app.Image.Layers[n:] {
		l.Base = false
		img.Layers = append(img.Layers, l)
	}

	out := &sbom.Document{Image: img}
	inBase := map[string]bool{}
	for _, p := range newBase.Packages {
		inBase[p.Ecosystem+"/"+p.Name] = true
		out.Packages = append(out.Packages, clonePackage(p))
	}
	for _, p := range app.Packages {
		switch {
		case p.Layer >= n:
			p = clonePackage(p)
			p.Layer = p.Layer - n + nb
		case p.Layer < 0 && !inBase[p.Ecosystem+"/"+p.Name]:
			p = clonePackage(p)
		default:
			continue
		}
		out.Packages = append(out.Packages, p)
	}
	out.Sort()
	return out, nil
}

func clonePackage(p sbom.Package) sbom.Package {
	p.Licenses = slices.Clone(p.Licenses)
	p.Locations = slices.Clone(p.Locations)
	p.DependsOn = slices.Clone(p.DependsOn)
	return p
}
