package image

import (
	"errors"
	"fmt"
	"maps"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// LayerInfo is one layer to assemble, with what ingot records about it.
type LayerInfo struct {
	Layer    v1.Layer
	Name     string   // layer name from the spec: "os", "runtime"
	Owner    string   // "team <contact>" or "team"
	Packages []string // name=version, in the order to record
	Base     bool     // the layer comes from a base image
}

// Config is the runtime configuration of an image. Env is written in the
// given order; callers sort it (build/spec does).
type Config struct {
	User         string
	Env          []string
	Entrypoint   []string
	Cmd          []string
	WorkingDir   string
	ExposedPorts []string // "8080/tcp"
	Labels       map[string]string
}

// Assemble builds a single-platform OCI image from layers, in order. Every
// timestamp is created (SOURCE_DATE_EPOCH); nothing is taken from the build
// host, so the same inputs give the same manifest digest.
//
// The platform's OS defaults to linux, and arm64 gets variant v8 unless
// another is given.
func Assemble(p v1.Platform, layers []LayerInfo, cfg Config, created time.Time, ann Annotations) (v1.Image, error) {
	if p.Architecture == "" {
		return nil, errors.New("assembling image: the platform has no architecture")
	}
	if len(layers) == 0 {
		return nil, errors.New("assembling image: no layers given; an image needs at least one")
	}
	p = NormalizePlatform(p)
	created = created.UTC()

	lin := Lineage{
		SpecDigest: ann.SpecDigest,
		LockDigest: ann.LockDigest,
		BaseName:   ann.BaseName,
		BaseDigest: ann.BaseDigest,
	}
	adds := make([]mutate.Addendum, 0, len(layers))
	for i, l := range layers {
		if l.Layer == nil || l.Name == "" {
			return nil, fmt.Errorf("assembling image for %s: layer %d (%q) has no layer data or no name", p, i, l.Name)
		}
		diffID, err := l.Layer.DiffID()
		if err != nil {
			return nil, fmt.Errorf("assembling image for %s: computing diffID of layer %q: %w", p, l.Name, err)
		}
		lin.Layers = append(lin.Layers, LayerRecord{
			Name: l.Name, Owner: l.Owner, DiffID: diffID.String(),
			Packages: l.Packages, Base: l.Base,
		})
		by := "ingot: layer " + l.Name
		if l.Owner != "" {
			by += " (" + l.Owner + ")"
		}
		la := map[string]string{AnnotationLayerName: l.Name}
		if l.Owner != "" {
			la[AnnotationLayerOwner] = l.Owner
		}
		mt, err := l.Layer.MediaType()
		if err != nil {
			return nil, fmt.Errorf("assembling image for %s: reading media type of layer %q: %w", p, l.Name, err)
		}
		layer := l.Layer
		if omt := ociLayerType(mt); omt != mt {
			layer = withMediaType{layer, omt}
		}
		adds = append(adds, mutate.Addendum{
			Layer:       layer,
			History:     v1.History{Created: v1.Time{Time: created}, CreatedBy: by},
			Annotations: la,
		})
	}

	labels := map[string]string{}
	maps.Copy(labels, cfg.Labels)
	labels[LabelLineage] = encode(lin)
	var ports map[string]struct{}
	if len(cfg.ExposedPorts) > 0 {
		ports = map[string]struct{}{}
		for _, port := range cfg.ExposedPorts {
			ports[port] = struct{}{}
		}
	}
	cf := &v1.ConfigFile{
		Architecture: p.Architecture,
		OS:           p.OS,
		OSVersion:    p.OSVersion,
		OSFeatures:   p.OSFeatures,
		Variant:      p.Variant,
		Created:      v1.Time{Time: created},
		RootFS:       v1.RootFS{Type: "layers"},
		Config: v1.Config{
			User:         cfg.User,
			Env:          cfg.Env,
			Entrypoint:   cfg.Entrypoint,
			Cmd:          cfg.Cmd,
			WorkingDir:   cfg.WorkingDir,
			ExposedPorts: ports,
			Labels:       labels,
		},
	}

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err := mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("assembling image for %s: setting config: %w", p, err)
	}
	img, err = mutate.Append(img, adds...)
	if err != nil {
		return nil, fmt.Errorf("assembling image for %s: appending layers: %w", p, err)
	}
	m := ann.toMap(created)
	m[AnnotationLayers] = encode(lin.Layers)
	img, ok := mutate.Annotations(img, m).(v1.Image)
	if !ok {
		return nil, fmt.Errorf("assembling image for %s: annotating manifest: unexpected type", p)
	}
	return img, nil
}

// ociLayerType maps Docker layer media types (of layers from a base image
// pulled from a Docker registry) to their OCI equivalents; the blob is the
// same, only the manifest's description changes.
func ociLayerType(mt types.MediaType) types.MediaType {
	switch mt {
	case types.DockerLayer:
		return types.OCILayer
	case types.DockerUncompressedLayer:
		return types.OCIUncompressedLayer
	}
	return mt
}

// withMediaType is a layer described with another media type.
type withMediaType struct {
	v1.Layer
	mt types.MediaType
}

var _ v1.Layer = withMediaType{}

func (l withMediaType) MediaType() (types.MediaType, error) { return l.mt, nil }
