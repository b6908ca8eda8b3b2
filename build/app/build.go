package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/image"
)

// Build builds the application in dir on base: it picks the builder
// (detected, or forced with WithKind), runs it for every platform of the
// base, assembles one image per platform (see the package doc for the layer
// order and lineage) under an OCI index, and writes the outputs asked for.
func Build(ctx context.Context, dir string, base *BaseIndex, opts ...Option) (*Result, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving the application directory %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("reading the application directory: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("the application %s is not a directory: give the directory holding the source", dir)
	}
	b, err := o.pick(abs)
	if err != nil {
		return nil, err
	}
	bases, err := base.bases()
	if err != nil {
		return nil, err
	}
	if bases, err = selectArchs(bases, o.archs); err != nil {
		return nil, fmt.Errorf("base %s: %w", base.Name, err)
	}
	epoch := latestCreated(bases)
	if o.epoch != nil {
		epoch = o.epoch.UTC().Truncate(time.Second)
	}
	if o.name == "" {
		o.name = filepath.Base(abs)
	}
	team, _, _ := strings.Cut(o.owner, " <")
	o.app.Logger = o.log
	o.app.Progress = o.progress
	res := &Result{
		Name: o.name, Kind: b.Name(), Dir: abs, Base: base.Name,
		BaseDigest: bases[0].IndexDigest.String(), SourceDateEpoch: epoch.Unix(),
	}
	imgs, results, err := o.buildAll(ctx, b, abs, base.Name, bases, epoch, team)
	if err != nil {
		return nil, err
	}
	res.Images = results
	idx, err := image.Index(imgs, image.Annotations{
		Title: o.name, Vendor: team,
		BaseName: base.Name, BaseDigest: res.BaseDigest,
	})
	if err != nil {
		return nil, err
	}
	d, err := idx.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the index digest: %w", err)
	}
	res.Index, res.IndexDigest = idx, d.String()
	o.log.Debug("index assembled", "digest", res.IndexDigest)
	if err := writeOutput(ctx, res, &o); err != nil {
		return nil, err
	}
	if err := emitSBOMs(ctx, res, &o); err != nil {
		return nil, err
	}
	return res, nil
}

// pick returns the builder for dir.
func (o *options) pick(dir string) (Builder, error) {
	all := o.builders
	if o.fallback != nil {
		all = append(append(Registry(nil), all...), o.fallback)
	}
	if o.builder != "" {
		if b := all.Lookup(o.builder); b != nil {
			return b, nil
		}
		names := make([]string, 0, len(all))
		for _, b := range all {
			names = append(names, b.Name())
		}
		return nil, fmt.Errorf("unknown application kind %q: use one of %s", o.builder, strings.Join(names, ", "))
	}
	b, err := o.builders.Detect(dir)
	if errors.Is(err, ErrNoApp) && len(o.app.Cmd) > 0 && o.fallback != nil {
		return o.fallback, nil
	}
	return b, err
}

// latestCreated is the base's creation time: the latest of its images.
func latestCreated(bases []Base) time.Time {
	var t time.Time
	for _, b := range bases {
		if c := b.Config.Created.Time; c.After(t) {
			t = c
		}
	}
	return t.UTC()
}

// selectArchs keeps the bases for archs, all of them when archs is empty.
func selectArchs(bases []Base, archs []string) ([]Base, error) {
	if len(archs) == 0 {
		return bases, nil
	}
	var out []Base
	have := map[string]bool{}
	for _, b := range bases {
		p, err := b.platform()
		if err != nil {
			return nil, err
		}
		have[p.Architecture] = true
		if slices.Contains(archs, p.Architecture) {
			out = append(out, b)
		}
	}
	for _, a := range archs {
		if !have[a] {
			return nil, fmt.Errorf("no image for architecture %s (it has %s): drop it from --arch or use a base built for it", a, strings.Join(slices.Sorted(maps.Keys(have)), ", "))
		}
	}
	return out, nil
}
