package lock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ingot-dev/ingot/debian"
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
// verified by the client, each InRelease is read once for all architectures,
// and SourceDateEpoch is the newest Date of those Releases.
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
	// One snapshot: every architecture is resolved from the same verified
	// Releases, and their newest Date is the lock's epoch.
	snap, err := c.Snapshot(ctx, src, archs...)
	if err != nil {
		return nil, fmt.Errorf("reading the package indexes: %w", err)
	}
	epoch := snap.Date().Unix()
	if snap.Date().IsZero() || epoch <= 0 {
		return nil, fmt.Errorf("generating a lock: the Release files of %v carry no Date (check the mirror)", req.Suites)
	}
	sets := make([]Arch, len(archs))
	errs := make([]error, len(archs))
	var wg sync.WaitGroup
	for i, arch := range archs {
		wg.Go(func() { sets[i], errs[i] = resolveArch(snap.Indexes[arch], req, arch) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	l := &Lock{SourceDateEpoch: epoch, Inputs: InputsDigest(req), Request: req, Architectures: sets}
	return l.Sorted(), nil
}

func resolveArch(ix *debian.Index, req Request, arch string) (Arch, error) {
	if ix == nil {
		return Arch{}, fmt.Errorf("resolving for %s: no package index", arch)
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
