package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
)

// pkg is one locked package, read from its verified .deb.
type pkg struct {
	locked  lock.Package
	meta    *debian.Package // from the .deb's control stanza
	archive *deb.Archive
}

// download gets every locked .deb of archs through the cache (verified
// against the lock's size and SHA256) and returns their cache paths per
// architecture, in lock order.
func download(ctx context.Context, cache *fetch.Cache, l *lock.Lock, mirrorFor func(string) string, archs []string) (map[string][]string, error) {
	var items []fetch.Item
	for _, a := range archs {
		items = append(items, l.Items(mirrorFor, a)...)
	}
	paths, err := cache.GetAll(ctx, items)
	if err != nil {
		return nil, fmt.Errorf("downloading the locked packages: %w", err)
	}
	out := map[string][]string{}
	for _, a := range archs {
		n := len(l.Arch(a))
		out[a], paths = paths[:n], paths[n:]
	}
	return out, nil
}

// readPackages reads the .debs of one architecture, parallelism at a time,
// and checks that each is the package the lock names.
func readPackages(ctx context.Context, locked []lock.Package, paths []string, parallelism int) ([]*pkg, error) {
	out := make([]*pkg, len(locked))
	errs := make([]error, len(locked))
	sem := make(chan struct{}, parallelism)
	// Largest first, so that the longest decompression does not start last.
	order := make([]int, len(locked))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(locked[b].Size, locked[a].Size) })
	var wg sync.WaitGroup
	for _, i := range order {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i], errs[i] = readPackage(locked[i], paths[i])
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func readPackage(lp lock.Package, path string) (*pkg, error) {
	what := fmt.Sprintf("%s %s (%s)", lp.Name, lp.Version, lp.Architecture)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	defer f.Close()
	a, err := deb.Read(f, deb.WithName(lp.Name))
	if err != nil {
		return nil, fmt.Errorf("reading %s from %s: %w", what, lp.Filename, err)
	}
	meta, err := debian.PackageFromParagraph(a.Control)
	if err != nil {
		return nil, fmt.Errorf("reading the control file of %s: %w", what, err)
	}
	if meta.Name != lp.Name || meta.Version.String() != lp.Version || meta.Architecture != lp.Architecture {
		return nil, fmt.Errorf("%s: the .deb says it is %s %s (%s): the lock does not match the archive; regenerate it with `ingot lock --update`",
			what, meta.Name, meta.Version, meta.Architecture)
	}
	return &pkg{locked: lp, meta: meta, archive: a}, nil
}
