// Package output writes a built image index where a build was asked to put
// it: an OCI layout directory, a docker tarball, a registry. It is the one
// output path of build (golden bases) and build/app (applications); it is
// not for reading images back (see image/source).
package output

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// Targets say where the index goes; empty fields are skipped.
type Targets struct {
	Layout   string // an OCI layout directory (image.WriteLayout)
	Tarball  string // a docker tarball tagged with the reference (image.WriteTarball)
	Push     bool   // push to the reference (image.Push)
	Insecure bool   // allow plain HTTP to the reference's registry
}

// Written says where the index went: the layout and tarball paths and the
// pushed reference by digest, empty for what was not asked.
type Written struct {
	Layout, Tarball, Pushed string
}

// Write writes idx to t. ref names the image (the tarball's tag and the push
// destination); it is parsed only if t asks for a tarball or a push.
func Write(ctx context.Context, idx v1.ImageIndex, ref string, t Targets) (Written, error) {
	var w Written
	var r name.Reference
	if t.Tarball != "" || t.Push {
		var nopts []name.Option
		if t.Insecure {
			nopts = append(nopts, name.Insecure)
		}
		var err error
		if r, err = name.ParseReference(ref, nopts...); err != nil {
			return w, fmt.Errorf("image reference %q: %w (name the image with --tag)", ref, err)
		}
	}
	if t.Layout != "" {
		if err := image.WriteLayout(t.Layout, idx); err != nil {
			return w, err
		}
		w.Layout = t.Layout
	}
	if t.Tarball != "" {
		if err := image.WriteTarball(t.Tarball, r, idx, v1.Platform{}); err != nil {
			return w, err
		}
		w.Tarball = t.Tarball
	}
	if t.Push {
		if err := image.Push(ctx, r, idx); err != nil {
			return w, err
		}
		d, err := idx.Digest()
		if err != nil {
			return w, fmt.Errorf("computing the pushed index's digest: %w", err)
		}
		w.Pushed = r.Context().Digest(d.String()).String()
	}
	return w, nil
}
