package app

import (
	"context"

	"github.com/ingot-dev/ingot/build/internal/output"
)

// writeOutput writes the layout and tarball and pushes, as o asks.
func writeOutput(ctx context.Context, res *Result, o *options) error {
	ref := o.name
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
