package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// Concurrent is implemented by builders whose Build may run for several
// platforms at once (the Go builder: one compiler per architecture).
// Other builders are called for one platform after another, in the base
// index's order.
type Concurrent interface {
	Concurrent() bool
}

// buildAll builds and assembles the image of every base, in order,
// concurrently when b allows it.
func (o *options) buildAll(ctx context.Context, b Builder, dir, baseName string, bases []Base, epoch time.Time, team string) ([]v1.Image, []ImageResult, error) {
	imgs := make([]v1.Image, len(bases))
	results := make([]ImageResult, len(bases))
	errs := make([]error, len(bases))
	one := func(i int) {
		imgs[i], results[i], errs[i] = o.buildOne(ctx, b, dir, baseName, bases[i], epoch, team)
	}
	if c, ok := b.(Concurrent); ok && c.Concurrent() && o.jobs > 1 {
		var wg sync.WaitGroup
		sem := make(chan struct{}, o.jobs)
		for i := range bases {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				one(i)
			})
		}
		wg.Wait()
	} else {
		for i := range bases {
			if one(i); errs[i] != nil {
				break
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return imgs, results, nil
}

// buildOne runs b for one base image and assembles the result on it.
func (o *options) buildOne(ctx context.Context, b Builder, dir, baseName string, bi Base, epoch time.Time, team string) (v1.Image, ImageResult, error) {
	p, err := bi.platform()
	if err != nil {
		return nil, ImageResult{}, err
	}
	o.log.Info("building application", "kind", b.Name(), "platform", p.String(), "base", bi.Digest.String())
	if o.progress != nil {
		fmt.Fprintf(o.progress, "building %s application for %s on %s\n", b.Name(), p, baseName)
	}
	out, err := b.Build(ctx, Request{Dir: dir, Platform: p, Base: bi, Options: o.app})
	if err != nil {
		return nil, ImageResult{}, fmt.Errorf("building the %s application in %s for %s: %w", b.Name(), dir, p, err)
	}
	o.log.Debug("application built", "platform", p.String(), "layers", len(out.Layers))
	cfg, err := imageConfig(bi.Config.Config, out.Config, o.app)
	if err != nil {
		return nil, ImageResult{}, fmt.Errorf("configuring the image for %s: %w", p, err)
	}
	ann := image.Annotations{
		Title: o.name, Vendor: team,
		BaseName: baseName, BaseDigest: bi.Digest.String(),
	}
	img, err := assemble(p, bi, out, cfg, epoch, o.owner, ann)
	if err != nil {
		return nil, ImageResult{}, err
	}
	ir, err := imageResult(p, img, bi)
	if err != nil {
		return nil, ImageResult{}, fmt.Errorf("describing the image for %s: %w", p, err)
	}
	o.log.Debug("image assembled", "platform", p.String())
	return img, ir, nil
}
