package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image"
)

// output writes the layout and tarball and pushes, as o asks.
func output(ctx context.Context, s *spec.Spec, res *Result, o *options) error {
	var nopts []name.Option
	if o.insecure {
		nopts = append(nopts, name.Insecure)
	}
	refStr := s.Name
	if o.tag != "" {
		refStr = o.tag
	}
	ref, err := name.ParseReference(refStr, nopts...)
	if err != nil {
		return fmt.Errorf("image reference %q: %w", refStr, err)
	}
	if o.layout != "" {
		if err := os.MkdirAll(filepath.Dir(o.layout), 0o755); err != nil {
			return fmt.Errorf("writing the OCI layout %s: %w", o.layout, err)
		}
		if err := image.WriteLayout(o.layout, res.Index); err != nil {
			return fmt.Errorf("writing the OCI layout %s: %w", o.layout, err)
		}
		res.Layout = o.layout
	}
	if o.tarball != "" {
		if err := image.WriteTarball(o.tarball, ref, res.Index, v1.Platform{}); err != nil {
			return fmt.Errorf("writing the tarball %s: %w", o.tarball, err)
		}
		res.Tarball = o.tarball
	}
	if o.push {
		if err := image.Push(ctx, ref, res.Index); err != nil {
			return fmt.Errorf("pushing %s: %w", ref, err)
		}
		res.Pushed = ref.Context().Digest(res.IndexDigest).String()
	}
	return nil
}
