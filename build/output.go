package build

import (
	"context"

	"github.com/ingot-dev/ingot/build/internal/output"
	"github.com/ingot-dev/ingot/build/spec"
)

// writeOutput writes the layout and tarball and pushes, as o asks.
func writeOutput(ctx context.Context, s *spec.Spec, res *Result, o *options) error {
	ref := s.Name
	if o.tag != "" {
		ref = o.tag
	}
	w, err := output.Write(ctx, res.Index, ref, output.Targets{Layout: o.layout, Tarball: o.tarball, Push: o.push, Insecure: o.insecure})
	if err != nil {
		return err
	}
	res.Layout, res.Tarball, res.Pushed = w.Layout, w.Tarball, w.Pushed
	return nil
}
