package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Lineage is ingot's record of where an image comes from and who owns each
// of its layers. It is stored in the image (see LabelLineage and
// AnnotationLayers) and read back with ReadLineage.
type Lineage struct {
	SpecDigest string        `json:"specDigest,omitempty"`
	LockDigest string        `json:"lockDigest,omitempty"`
	BaseName   string        `json:"baseName,omitempty"`
	BaseDigest string        `json:"baseDigest,omitempty"`
	Layers     []LayerRecord `json:"layers"`
}

// LayerRecord describes one layer of an image, in layer order.
type LayerRecord struct {
	Name     string   `json:"name"`
	Owner    string   `json:"owner,omitempty"`
	DiffID   string   `json:"diffID"`
	Packages []string `json:"packages,omitempty"` // name=version
	Base     bool     `json:"base,omitempty"`     // the layer comes from the base image
}

// ErrNoLineage is returned by ReadLineage for images ingot did not build.
var ErrNoLineage = errors.New("image has no ingot lineage")

// maxLineage bounds the lineage JSON read from an untrusted image.
const maxLineage = 8 << 20

// ReadLineage reads ingot's lineage from an image: from the config label
// (present in every output format), else from the manifest annotations.
// It returns an error wrapping ErrNoLineage if the image has neither.
func ReadLineage(img v1.Image) (*Lineage, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading image config for lineage: %w", err)
	}
	if s, ok := cf.Config.Labels[LabelLineage]; ok {
		return decodeLineage([]byte(s), "config label "+LabelLineage)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("reading image manifest for lineage: %w", err)
	}
	s, ok := m.Annotations[AnnotationLayers]
	if !ok {
		return nil, fmt.Errorf("reading lineage: %w (no %s label nor %s annotation; was it built by ingot?)", ErrNoLineage, LabelLineage, AnnotationLayers)
	}
	var layers []LayerRecord
	if len(s) > maxLineage {
		return nil, fmt.Errorf("reading lineage: annotation %s is %d bytes, over the %d limit", AnnotationLayers, len(s), maxLineage)
	}
	if err := json.Unmarshal([]byte(s), &layers); err != nil {
		return nil, fmt.Errorf("reading lineage: decoding annotation %s: %w", AnnotationLayers, err)
	}
	return &Lineage{
		SpecDigest: m.Annotations[AnnotationSpecDigest],
		LockDigest: m.Annotations[AnnotationLockDigest],
		BaseName:   m.Annotations[AnnotationBaseName],
		BaseDigest: m.Annotations[AnnotationBaseDigest],
		Layers:     layers,
	}, nil
}

func decodeLineage(b []byte, where string) (*Lineage, error) {
	if len(b) > maxLineage {
		return nil, fmt.Errorf("reading lineage: %s is %d bytes, over the %d limit", where, len(b), maxLineage)
	}
	var l Lineage
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("reading lineage: decoding %s: %w", where, err)
	}
	return &l, nil
}

// encode returns the compact, deterministic JSON of v (struct field order).
// HTML escaping is off so that "team <contact>" stays readable.
func encode(v any) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic(fmt.Sprintf("image: encoding %T: %v", v, err)) // plain structs of strings cannot fail
	}
	return strings.TrimSuffix(b.String(), "\n")
}
