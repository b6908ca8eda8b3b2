package build

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// Golden builds the golden image s describes: one image per architecture
// under an OCI index, from the spec's lock (created or regenerated first if
// it is missing or was made for another request). See the package doc for
// the layer order. Outputs (layout, tarball, push) are written as the
// options ask; the index is always in the Result.
func Golden(ctx context.Context, s *spec.Spec, opts ...Option) (*Result, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	archs := s.Architectures
	if len(o.archs) > 0 {
		for _, a := range o.archs {
			if !slices.Contains(s.Architectures, a) {
				return nil, fmt.Errorf("architecture %s is not one of %s's %v: add it to the spec's architectures", a, s.File, s.Architectures)
			}
		}
		// In the spec's order, each once.
		archs = slices.DeleteFunc(slices.Clone(s.Architectures), func(a string) bool { return !slices.Contains(o.archs, a) })
	}
	src, err := Source(s, repo.SystemSource)
	if err != nil {
		return nil, err
	}
	cache, err := openCache(&o)
	if err != nil {
		return nil, err
	}

	lockPath := o.lockfile
	if lockPath == "" {
		lockPath = filepath.Join(s.Dir, "ingot.lock")
	}
	l, written, err := loadLock(ctx, lockPath, LockRequest(s, src), src, cache, &o)
	if err != nil {
		return nil, err
	}
	if err := checkLockArchs(l, lockPath, archs); err != nil {
		return nil, err
	}
	ld, err := lockDigest(l)
	if err != nil {
		return nil, err
	}
	epoch := l.SourceDateEpoch
	if s.SourceDateEpoch != nil {
		epoch = *s.SourceDateEpoch
	}
	created := time.Unix(epoch, 0).UTC()

	files, err := specFiles(s)
	if err != nil {
		return nil, err
	}
	// Images whose layers are cached need neither downloads nor .debs.
	var lc *layerCache
	if o.layerCache {
		lc = &layerCache{dir: filepath.Join(cache.Dir(), "layers")}
	}
	keys := map[string]string{}
	cached := map[string][]image.LayerInfo{}
	var missing []string
	for _, arch := range archs {
		if lc != nil {
			if keys[arch], err = imageKey(s, arch, epoch, files, l.Arch(arch)); err != nil {
				return nil, err
			}
			if infos, ok := lc.load(keys[arch]); ok {
				cached[arch] = infos
				continue
			}
		}
		missing = append(missing, arch)
	}
	paths, err := download(ctx, cache, l, src.MirrorFor, missing)
	if err != nil {
		return nil, err
	}
	ann := annotations(s, ld)
	res := &Result{Name: s.Name, Lockfile: lockPath, LockWritten: written, SourceDateEpoch: epoch}
	var images []v1.Image
	for _, arch := range archs {
		infos, hit := cached[arch]
		if hit {
			o.log.Info("reusing cached layers", "arch", arch)
		} else {
			o.log.Info("building image", "arch", arch)
			if infos, err = buildLayers(ctx, s, arch, l.Arch(arch), paths[arch], files, created, &o); err != nil {
				return nil, err
			}
			if err := lc.store(keys[arch], infos); err != nil {
				o.log.Warn("could not cache the layers", "arch", arch, "err", err)
			}
		}
		img, ir, err := assemble(s, arch, infos, created, ann)
		if err != nil {
			return nil, err
		}
		ir.Cached = hit
		images = append(images, img)
		res.Images = append(res.Images, *ir)
	}
	idx, err := image.Index(images, ann)
	if err != nil {
		return nil, fmt.Errorf("building the image index: %w", err)
	}
	d, err := idx.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the index digest: %w", err)
	}
	res.Index, res.IndexDigest = idx, d.String()
	if err := writeOutput(ctx, s, res, &o); err != nil {
		return nil, err
	}
	if err := emitSBOMs(ctx, s, l, images, res, &o); err != nil {
		return nil, err
	}
	recordInventory(ctx, s, res, &o)
	return res, nil
}

// buildLayers builds the layers of one architecture's image.
func buildLayers(ctx context.Context, s *spec.Spec, arch string, locked []lock.Package, paths []string, files []layer.Entry,
	created time.Time, o *options) ([]image.LayerInfo, error) {
	pkgs, err := readPackages(ctx, locked, paths, o.parallelism)
	if err != nil {
		return nil, err
	}
	pls, err := packageLayers(s, arch, pkgs, created)
	if err != nil {
		return nil, err
	}
	sys, err := systemLayer(s, arch, pls, files, created)
	if err != nil {
		return nil, err
	}
	infos := make([]image.LayerInfo, len(pls)+1)
	builders := make([]*layer.Builder, len(pls)+1)
	for i, pl := range pls {
		infos[i] = image.LayerInfo{Name: pl.name, Owner: pl.owner}
		for _, p := range pl.pkgs {
			infos[i].Packages = append(infos[i].Packages, p.meta.Name+"="+p.locked.Version)
		}
		builders[i] = pl.builder
	}
	infos[len(pls)] = image.LayerInfo{Name: systemLayerName, Owner: s.Owner.String()}
	builders[len(pls)] = sys

	// Encoding (compression) is the expensive part: do layers in parallel.
	errs := make([]error, len(builders))
	sem := make(chan struct{}, o.parallelism)
	var wg sync.WaitGroup
	for i, b := range builders {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			infos[i].Layer, errs[i] = b.Layer()
			if errs[i] == nil {
				// Digests are computed here, in parallel, not later one by one.
				_, errs[i] = infos[i].Layer.Digest()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("encoding layer %s (%s): %w", infos[i].Name, arch, err)
		}
	}
	return infos, nil
}

// assemble makes the image of one architecture from its layers.
func assemble(s *spec.Spec, arch string, infos []image.LayerInfo, created time.Time, ann image.Annotations) (v1.Image, *ImageResult, error) {
	p, err := image.PlatformFor(arch)
	if err != nil {
		return nil, nil, err
	}
	img, err := image.Assemble(p, infos, imageConfig(s), created, ann)
	if err != nil {
		return nil, nil, fmt.Errorf("assembling the %s image: %w", arch, err)
	}
	ir, err := describe(img, arch, infos)
	if err != nil {
		return nil, nil, err
	}
	return img, ir, nil
}

// describe summarises an assembled image for the Result.
func describe(img v1.Image, arch string, infos []image.LayerInfo) (*ImageResult, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the %s manifest digest: %w", arch, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the %s config: %w", arch, err)
	}
	plat := cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		plat += "/" + cf.Variant
	}
	ir := &ImageResult{Arch: arch, Platform: plat, Digest: d.String()}
	for _, li := range infos {
		ld, err := li.Layer.Digest()
		if err != nil {
			return nil, err
		}
		diff, err := li.Layer.DiffID()
		if err != nil {
			return nil, err
		}
		size, err := li.Layer.Size()
		if err != nil {
			return nil, err
		}
		ir.Layers = append(ir.Layers, LayerResult{Name: li.Name, Owner: li.Owner, Digest: ld.String(), DiffID: diff.String(), Size: size, Packages: li.Packages})
	}
	return ir, nil
}

// openCache returns the WithCache cache, or the default one.
func openCache(o *options) (*fetch.Cache, error) {
	if o.cache != nil {
		return o.cache, nil
	}
	dir, err := fetch.DefaultDir()
	if err != nil {
		return nil, fmt.Errorf("finding the download cache: %w (set INGOT_CACHE_DIR)", err)
	}
	fopts := []fetch.Option{fetch.WithLogger(o.log)}
	if o.progress != nil {
		fopts = append(fopts, fetch.WithProgress(o.progress, o.terminal))
	}
	c, err := fetch.New(dir, append(fopts, o.fetchOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("opening the download cache %s: %w", dir, err)
	}
	return c, nil
}
