package repo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ingot-dev/ingot/debian"
)

// Index builds the package universe for arch from every suite and component
// of src. It is Snapshot for one architecture.
func (c *Client) Index(ctx context.Context, src Source, arch string) (*debian.Index, error) {
	snap, err := c.Snapshot(ctx, src, arch)
	if err != nil {
		return nil, err
	}
	return snap.Indexes[arch], nil
}

// Snapshot is a consistent, verified view of a source: the Release of each
// suite and the package index built from exactly those Releases for each
// architecture.
type Snapshot struct {
	Releases map[string]*Release      // by suite
	Indexes  map[string]*debian.Index // by architecture
}

// Date is the newest Date of the snapshot's Releases: the moment the
// archive state it describes was published, a natural SOURCE_DATE_EPOCH.
func (s *Snapshot) Date() time.Time {
	var d time.Time
	for _, r := range s.Releases {
		if r.Date.After(d) {
			d = r.Date
		}
	}
	return d
}

// Snapshot fetches and verifies each suite's InRelease once, then builds the
// index of every architecture in arches from it. Suites are fetched
// concurrently; each index is downloaded through the cache with the size and
// SHA256 its verified Release lists, so a warm run downloads only the
// InRelease files.
func (c *Client) Snapshot(ctx context.Context, src Source, arches ...string) (*Snapshot, error) {
	if err := src.Validate(); err != nil {
		return nil, err
	}
	if len(arches) == 0 {
		return nil, fmt.Errorf("reading %v: no architecture given", src.Suites)
	}
	rels := make([]*Release, len(src.Suites))
	results := make([][][]*debian.Package, len(src.Suites)) // suite, arch
	errs := make([][]error, len(src.Suites))                // suite, arch (or the Release's, first)
	var wg sync.WaitGroup
	for i, suite := range src.Suites {
		results[i] = make([][]*debian.Package, len(arches))
		errs[i] = make([]error, len(arches)+1)
		wg.Go(func() {
			rel, err := c.Release(ctx, src, suite)
			if err != nil {
				errs[i][0] = err
				return
			}
			rels[i] = rel
			// Architectures too are read concurrently: decoding the
			// indexes of Debian's main is most of a warm snapshot.
			var awg sync.WaitGroup
			for j, arch := range arches {
				awg.Go(func() { results[i][j], errs[i][j+1] = c.suitePackages(ctx, src, rel, suite, arch) })
			}
			awg.Wait()
		})
	}
	wg.Wait()
	// The first error of each suite, as when its architectures were read in turn.
	var failed []error
	for _, es := range errs {
		if i := slices.IndexFunc(es, func(err error) bool { return err != nil }); i >= 0 {
			failed = append(failed, es[i])
		}
	}
	if err := errors.Join(failed...); err != nil {
		return nil, err
	}
	snap := &Snapshot{Releases: map[string]*Release{}, Indexes: map[string]*debian.Index{}}
	for i, suite := range src.Suites {
		snap.Releases[suite] = rels[i]
	}
	for j, arch := range arches {
		ix := debian.NewIndex(arch, src.Suites...)
		for i := range src.Suites {
			for _, p := range results[i][j] {
				ix.Add(p)
			}
		}
		snap.Indexes[arch] = ix
	}
	return snap, nil
}

// suitePackages reads every component of src that rel lists.
func (c *Client) suitePackages(ctx context.Context, src Source, rel *Release, suite, arch string) ([]*debian.Package, error) {
	if !rel.HasArchitecture(arch) {
		return nil, fmt.Errorf("suite %s at %s: %w: no architecture %s (it has %v)", suite, rel.URL, ErrNotListed, arch, rel.Architectures)
	}
	var all []*debian.Package
	found := 0
	for _, comp := range src.ComponentList() {
		if len(rel.Components) > 0 && !rel.HasComponent(comp) {
			c.o.log.Debug("suite lacks component", "suite", suite, "component", comp)
			continue
		}
		found++
		pkgs, err := c.Packages(ctx, src, rel, suite, comp, arch)
		if err != nil {
			return nil, err
		}
		if arch != "all" && separateArchAll(rel, comp) {
			// Like apt, read binary-all too; records also listed for arch are kept once.
			indep, err := c.Packages(ctx, src, rel, suite, comp, "all")
			if err != nil {
				return nil, err
			}
			pkgs = mergeRecords(pkgs, indep)
		}
		all = append(all, pkgs...)
	}
	if found == 0 {
		return nil, fmt.Errorf("suite %s at %s: %w: none of the components %v (it has %v)", suite, rel.URL, ErrNotListed, src.ComponentList(), rel.Components)
	}
	return all, nil
}

// separateArchAll reports whether rel keeps architecture-"all" packages in
// a binary-all index of comp that must be read besides binary-<arch>.
func separateArchAll(rel *Release, comp string) bool {
	if rel.AllInArchIndexes || !rel.HasArchitecture("all") {
		return false
	}
	for _, ext := range indexFormats {
		if _, ok := rel.Files[comp+"/binary-all/Packages"+ext]; ok {
			return true
		}
	}
	return false
}

// mergeRecords appends to a the records of b that a does not already hold
// (same name, version and architecture).
func mergeRecords(a, b []*debian.Package) []*debian.Package {
	seen := make(map[string]bool, len(a))
	key := func(p *debian.Package) string { return p.Name + "\x00" + p.Version.String() + "\x00" + p.Architecture }
	for _, p := range a {
		seen[key(p)] = true
	}
	for _, p := range b {
		if !seen[key(p)] {
			a = append(a, p)
		}
	}
	return a
}
