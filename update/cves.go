package update

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/changelog"
)

// TargetCVEs returns targets with each one's CVEs set to those its move to
// the new base closes, which depend on the base build it is on, not only on
// the lock update: an image two updates behind gains more, an architecture
// without a changed package gains nothing for it.
//
// For each distinct base build of the targets (Target.BaseDigests, the
// platforms of Target.Platforms) it reads the build's Debian packages from
// the inventory: the packages of its base layers when it is itself built on
// a base (the application an image at depth 2 is built on), else all of
// them. Every package the new lock has in a newer version, with the same
// name and architecture, closes the CVEs of its changelog's uploads newer
// than the installed version and not newer than the new one
// (changelog.Between). The changelogs are those Refresh read, else the new
// .debs' already in the download cache (a rebuild puts every one there);
// nothing is downloaded. A package whose changelog is in neither is logged
// and counted as closing nothing.
//
// A target whose base build the inventory does not know (or knows without
// Debian packages) gets the lock update's CVEs (u.CVEs), and the log says so.
// Skipped targets are returned as they are; so is every target when Refresh
// read no changelogs (WithCVEs(false)). Of opts, TargetCVEs uses WithLogger
// and WithCache (default: the cache Refresh used).
func (u *LockUpdate) TargetCVEs(ctx context.Context, store *inventory.Store, targets []Target, opts ...Option) ([]Target, error) {
	out := slices.Clone(targets)
	if !u.readCVEs || u.New == nil {
		return out, nil
	}
	o := makeOptions(opts)
	if o.cache == nil {
		o.cache = u.cache
	}
	c := &cveFinder{u: u, store: store, o: o, builds: map[string]*baseBuild{}, read: map[string][]changelog.Entry{}, missing: map[string]bool{}}
	c.indexLock()
	fallback := map[string][]string{} // why → images
	var whys []string
	for i := range out {
		t := &out[i]
		if t.Skip != "" {
			continue
		}
		cves, why, err := c.target(ctx, *t)
		if err != nil {
			return nil, err
		}
		if why != "" {
			if fallback[why] == nil {
				whys = append(whys, why)
			}
			fallback[why] = append(fallback[why], t.Image)
			cves = slices.Clone(u.CVEs)
		}
		t.CVEs = cves
	}
	for _, why := range whys {
		o.log.Warn("reporting the CVEs of the whole lock update for images whose base build is unknown",
			"why", why, "count", len(fallback[why]), "images", strings.Join(fallback[why], " "))
	}
	return out, nil
}

// cveFinder computes the CVEs of each base build once, however many targets
// are on it.
type cveFinder struct {
	u     *LockUpdate
	store *inventory.Store
	o     *options
	// newer is the new lock's packages by name and architecture; bySource
	// its packages of each source version, smallest .deb first.
	newer    map[string]lock.Package
	bySource map[string][]lock.Package
	builds   map[string]*baseBuild        // by base digest
	read     map[string][]changelog.Entry // changelogs read from the cache, by sourceKey
	missing  map[string]bool              // sourceKeys with no changelog at hand
}

// baseBuild is one base build as the inventory knows it: the CVEs each of
// its platform images closes, or why it cannot be known.
type baseBuild struct {
	platforms map[string][]string // platform ("" if unknown) → CVEs
	why       string
}

func (c *cveFinder) indexLock() {
	c.newer, c.bySource = map[string]lock.Package{}, map[string][]lock.Package{}
	for _, a := range c.u.New.Architectures {
		for _, p := range a.Packages {
			k := p.Name + "\x00" + p.Architecture
			if _, ok := c.newer[k]; ok {
				continue // an arch: all package, listed under every architecture
			}
			c.newer[k] = p
			c.bySource[sourceKey(p)] = append(c.bySource[sourceKey(p)], p)
		}
	}
	for _, ps := range c.bySource {
		slices.SortFunc(ps, func(a, b lock.Package) int { return cmp.Or(cmp.Compare(a.Size, b.Size), cmp.Compare(a.Name, b.Name)) })
	}
}

// target returns t's CVEs, or why they cannot be known.
func (c *cveFinder) target(ctx context.Context, t Target) ([]string, string, error) {
	if len(t.BaseDigests) == 0 {
		return nil, "the inventory names no base build for it", nil
	}
	all := map[string]bool{}
	for _, d := range t.BaseDigests {
		b, err := c.build(ctx, d)
		if err != nil {
			return nil, "", err
		}
		if b.why != "" {
			return nil, b.why, nil
		}
		matched := false
		for p, cves := range b.platforms {
			if p != "" && len(t.Platforms) > 0 && !slices.Contains(t.Platforms, p) {
				continue
			}
			matched = true
			for _, id := range cves {
				all[id] = true
			}
		}
		if !matched {
			return nil, fmt.Sprintf("the inventory has base build %s for no platform of %v", d, t.Platforms), nil
		}
	}
	out := make([]string, 0, len(all))
	for id := range all {
		out = append(out, id)
	}
	slices.Sort(out) // as LockUpdate.CVEs
	return out, "", nil
}

// build returns the CVEs of the base build digest names (an index or a
// platform manifest), reading it from the inventory the first time.
func (c *cveFinder) build(ctx context.Context, digest string) (*baseBuild, error) {
	if b := c.builds[digest]; b != nil {
		return b, nil
	}
	b := &baseBuild{platforms: map[string][]string{}}
	c.builds[digest] = b
	details, err := c.store.Show(ctx, digest)
	switch {
	case errors.Is(err, inventory.ErrNotFound):
		b.why = "base build " + digest + " is not in the inventory " + c.store.Location()
		return b, nil
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		b.why = fmt.Sprintf("reading base build %s from the inventory: %v", digest, err)
		return b, nil
	}
	seen := map[string]bool{}
	debs := 0
	for _, d := range details {
		if seen[d.Image.Digest] { // the same build in several repositories
			continue
		}
		seen[d.Image.Digest] = true
		pkgs := basePackages(d)
		debs += len(pkgs)
		cves := map[string]bool{}
		for _, p := range pkgs {
			for _, id := range c.closes(ctx, p) {
				cves[id] = true
			}
		}
		ids := append(b.platforms[d.Image.Platform], slices.Collect(maps.Keys(cves))...)
		slices.Sort(ids)
		b.platforms[d.Image.Platform] = slices.Compact(ids)
	}
	if debs == 0 {
		b.why = "the inventory holds no Debian package of base build " + digest
	}
	return b, ctx.Err()
}

// basePackages returns the Debian packages of d that a rebase replaces:
// those of its base layers when it is built on a base and knows which layers
// came with it, else all of them.
func basePackages(d inventory.Detail) []inventory.Package {
	onBase := (d.Image.BaseDigest != "" || d.Image.BaseName != "") &&
		slices.ContainsFunc(d.Layers, func(l inventory.LayerDetail) bool { return l.Origin == inventory.OriginBase })
	var out []inventory.Package
	for _, l := range d.Layers {
		if onBase && l.Origin != inventory.OriginBase {
			continue
		}
		for _, p := range l.Packages {
			if p.Ecosystem == sbom.Deb {
				out = append(out, p)
			}
		}
	}
	return out
}

// closes returns the CVEs that moving installed to the new lock's version of
// it closes.
func (c *cveFinder) closes(ctx context.Context, installed inventory.Package) []string {
	n, ok := c.newer[installed.Name+"\x00"+installed.Arch]
	if !ok {
		return nil
	}
	if v, err := debian.CompareVersions(n.Version, installed.Version); err != nil || v <= 0 {
		return nil
	}
	entries := c.changelog(ctx, n)
	if entries == nil {
		return nil
	}
	var ids []string
	fixes := changelog.Between(entries,
		sbom.Package{Version: installed.Version, SourceVersion: installed.SourceVersion},
		sbom.Package{Version: n.Version, SourceVersion: n.SourceVersion})
	for _, f := range fixes {
		ids = append(ids, f.CVEs...)
	}
	return ids
}

// changelog returns the changelog of p's source version: the one Refresh
// read, else the first of that source version's .debs in the download cache
// that ships one. nil when neither has it.
func (c *cveFinder) changelog(ctx context.Context, p lock.Package) []changelog.Entry {
	key := sourceKey(p)
	if e := c.u.changelogs[key]; e != nil {
		return e
	}
	if e := c.read[key]; e != nil || c.missing[key] {
		return e
	}
	for _, q := range c.bySource[key] {
		if ctx.Err() != nil || c.o.cache == nil || q.SHA256 == "" {
			break
		}
		// The cache holds verified content by digest; a .deb not in it
		// gives nil.
		e, _, err := changelog.FromDebFile(c.o.cache.Path(q.SHA256), q.Name, q.Architecture)
		if errors.Is(err, changelog.ErrDebTooLarge) {
			break // the others are larger still
		}
		if err != nil {
			c.o.log.Warn("cannot read the changelog of a cached package", "package", q.Name+" "+q.Version, "err", err)
			continue
		}
		if e != nil {
			c.read[key] = e
			return e
		}
	}
	c.missing[key] = true
	c.o.log.Info("no changelog at hand for an updated package: counting no CVE for it (rebuilding the base downloads it)",
		"package", p.Name+" "+p.Version, "arch", p.Architecture)
	return nil
}
