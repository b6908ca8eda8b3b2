package app

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// Result is what Build produced.
type Result struct {
	Name            string        `json:"name"`            // the image name (WithName)
	Kind            string        `json:"kind"`            // the builder used: "go", "node", ...
	Dir             string        `json:"dir"`             // the source directory
	Base            string        `json:"base"`            // the base as named
	BaseDigest      string        `json:"baseDigest"`      // the base index digest
	IndexDigest     string        `json:"indexDigest"`     // digest of the new OCI index
	SourceDateEpoch int64         `json:"sourceDateEpoch"` // every new timestamp
	Images          []ImageResult `json:"images"`          // one per platform of the base
	Layout          string        `json:"layout,omitempty"`
	Tarball         string        `json:"tarball,omitempty"`
	Pushed          string        `json:"pushed,omitempty"` // reference pushed to, with digest
	SBOMs           []SBOMFile    `json:"sboms,omitempty"`  // written into the layout and attached to pushed images
	Index           v1.ImageIndex `json:"-"`
}

// ImageResult is one platform's image.
type ImageResult struct {
	Platform   string        `json:"platform"`   // linux/arm64/v8
	Digest     string        `json:"digest"`     // manifest digest
	BaseDigest string        `json:"baseDigest"` // the base's manifest digest for this platform
	Entrypoint []string      `json:"entrypoint,omitempty"`
	Cmd        []string      `json:"cmd,omitempty"`
	User       string        `json:"user"`
	Layers     []LayerResult `json:"layers"`
}

// LayerResult is one layer of an image.
type LayerResult struct {
	Name   string `json:"name"`
	Owner  string `json:"owner,omitempty"`
	Base   bool   `json:"base,omitempty"` // the layer is the base's, untouched
	Digest string `json:"digest"`         // compressed blob digest
	DiffID string `json:"diffID"`
	Size   int64  `json:"size"` // compressed bytes
}

// imageResult describes img, layer names and owners from its lineage.
func imageResult(p v1.Platform, img v1.Image, base Base) (ImageResult, error) {
	d, err := img.Digest()
	if err != nil {
		return ImageResult{}, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return ImageResult{}, err
	}
	m, err := img.Manifest()
	if err != nil {
		return ImageResult{}, err
	}
	lin, err := image.ReadLineage(img)
	if err != nil {
		return ImageResult{}, err
	}
	r := ImageResult{
		Platform: p.String(), Digest: d.String(), BaseDigest: base.Digest.String(),
		Entrypoint: cf.Config.Entrypoint, Cmd: cf.Config.Cmd, User: cf.Config.User,
	}
	for i, l := range m.Layers {
		lr := LayerResult{Digest: l.Digest.String(), Size: l.Size}
		if i < len(lin.Layers) {
			rec := lin.Layers[i]
			lr.Name, lr.Owner, lr.Base, lr.DiffID = rec.Name, rec.Owner, rec.Base, rec.DiffID
		}
		r.Layers = append(r.Layers, lr)
	}
	return r, nil
}
