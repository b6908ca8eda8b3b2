package lock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/debian/resolve"
)

// Complete fills what req leaves empty from src: the suites, and the
// components (default ["main"]). Call it before InputsDigest or Stale so that
// a request and the lock generated from it agree.
func (r Request) Complete(src repo.Source) Request {
	if len(r.Suites) == 0 {
		r.Suites = slices.Clone(src.Suites)
	}
	if len(r.Components) == 0 {
		r.Components = slices.Clone(src.ComponentList())
	}
	return r
}

// Generate resolves req on every requested architecture against the archive
// src points to and returns the lock. The suites and components come from
// req (completed from src); the mirrors and keyring from src. Indexes are
// verified by the client; SourceDateEpoch is the newest Date of the suites'
// verified Release files.
func Generate(ctx context.Context, c *repo.Client, src repo.Source, req Request) (*Lock, error) {
	req = req.Complete(src)
	if len(req.Packages) == 0 {
		return nil, errors.New("generating a lock: no packages requested: name at least one")
	}
	if len(req.Architectures) == 0 {
		return nil, errors.New("generating a lock: no architectures requested: name at least one (for example amd64)")
	}
	src.Suites, src.Components = req.Suites, req.Components

	archs := sortedSet(req.Architectures)
	sets := make([]Arch, len(archs))
	dates := make([]int64, len(req.Suites))
	errs := make([]error, len(archs)+len(req.Suites))
	var wg sync.WaitGroup
	for i, suite := range req.Suites {
		wg.Go(func() {
			rel, err := c.Release(ctx, src, suite)
			if err != nil {
				errs[len(archs)+i] = err
				return
			}
			dates[i] = rel.Date.Unix()
		})
	}
	for i, arch := range archs {
		wg.Go(func() {
			sets[i], errs[i] = resolveArch(ctx, c, src, req, arch)
		})
	}
	wg.Wait()
	// An index error already includes its suite's Release error.
	if err := joinDistinct(errs[:len(archs)]); err != nil {
		return nil, err
	}
	if err := joinDistinct(errs[len(archs):]); err != nil {
		return nil, err
	}
	epoch := slices.Max(dates)
	if epoch <= 0 {
		return nil, fmt.Errorf("generating a lock: the Release files of %v carry no Date (check the mirror)", req.Suites)
	}
	l := &Lock{SourceDateEpoch: epoch, Inputs: InputsDigest(req), Request: req, Architectures: sets}
	return l.Sorted(), nil
}

func resolveArch(ctx context.Context, c *repo.Client, src repo.Source, req Request, arch string) (Arch, error) {
	ix, err := c.Index(ctx, src, arch)
	if err != nil {
		return Arch{}, fmt.Errorf("reading the package index for %s: %w", arch, err)
	}
	res, err := resolve.Resolve(ix, resolve.Request{
		Packages:       req.Packages,
		Arch:           arch,
		WithRecommends: req.Recommends,
		WithEssential:  req.Essential,
	})
	if err != nil {
		return Arch{}, fmt.Errorf("resolving for %s: %w", arch, err)
	}
	a := Arch{Name: arch, Packages: make([]Package, 0, len(res.Packages))}
	for _, p := range res.Packages {
		a.Packages = append(a.Packages, PackageOf(p))
	}
	return a, nil
}

// joinDistinct joins errors, dropping repeats of the same message (the same
// InRelease failure is met by every architecture).
func joinDistinct(errs []error) error {
	var out []error
	seen := map[string]bool{}
	for _, err := range errs {
		if err == nil || seen[err.Error()] {
			continue
		}
		seen[err.Error()] = true
		out = append(out, err)
	}
	return errors.Join(out...)
}
