package update

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/changelog"
)

// LockUpdate is what refreshing a spec's lock changes.
type LockUpdate struct {
	Spec     string `json:"spec"`
	Lockfile string `json:"lockfile"`
	// UpToDate: the archive has nothing newer for the spec; the lock is
	// kept as it is.
	UpToDate bool          `json:"upToDate"`
	Changes  []lock.Change `json:"changes"`
	// Fixes are the changed packages whose newer changelog names CVEs.
	Fixes []Fix `json:"fixes,omitempty"`
	// CVEs is every CVE the update closes, sorted.
	CVEs []string `json:"cves"`

	Old *lock.Lock `json:"-"` // nil when the spec had no lock
	New *lock.Lock `json:"-"`

	// What Refresh learnt from the changelogs, for TargetCVEs: the
	// entries read, by the new version's source and source version
	// (sourceKey), and the cache the .debs are in.
	readCVEs   bool
	changelogs map[string][]changelog.Entry
	cache      *fetch.Cache
}

// Fix is one package of the update and the CVEs its newer version closes.
type Fix struct {
	Package string   `json:"package"`
	Arch    string   `json:"arch"`
	Old     string   `json:"old"`
	New     string   `json:"new"`
	CVEs    []string `json:"cves"`
}

// Lockfile is where the build of s reads its lock: ingot.lock next to the
// spec.
func Lockfile(s *spec.Spec) string { return filepath.Join(s.Dir, "ingot.lock") }

// Refresh resolves s's packages again against the newest packages of its
// suites and returns the new lock, what changed from the lock at lockfile
// ("" means Lockfile(s)) and, unless WithCVEs(false), the CVEs the newer
// packages' changelogs name between the old and the new version (see
// vuln/changelog). It writes nothing: Rebuild writes the lock.
func Refresh(ctx context.Context, s *spec.Spec, lockfile string, opts ...Option) (*LockUpdate, error) {
	o := makeOptions(opts)
	if lockfile == "" {
		lockfile = Lockfile(s)
	}
	u := &LockUpdate{Spec: s.File, Lockfile: lockfile, Changes: []lock.Change{}, CVEs: []string{}}
	old, err := lock.ReadFile(lockfile)
	switch {
	case err == nil:
		u.Old = old
	case errors.Is(err, fs.ErrNotExist):
		o.log.Info("no lock yet: every package is new", "lockfile", lockfile)
	default:
		return nil, fmt.Errorf("reading the current lock of %s: %w (fix or delete it, then rerun)", s.File, err)
	}
	src, err := build.Source(s, o.system)
	if err != nil {
		return nil, err
	}
	cache, err := o.downloadCache()
	if err != nil {
		return nil, err
	}
	req := build.LockRequest(s, src)
	client := repo.New(cache, append([]repo.Option{repo.WithLogger(o.log)}, o.repoOpts...)...)
	nl, err := lock.Generate(ctx, client, src, req)
	if err != nil {
		return nil, fmt.Errorf("resolving the packages of %s against %v: %w", s.File, src.Suites, err)
	}
	if d := lock.Diff(old, nl); d != nil {
		u.Changes = d
	}
	if old != nil && len(u.Changes) == 0 && !old.Stale(req.Complete(src)) {
		// Keep the old lock, and with it its SOURCE_DATE_EPOCH, so that a
		// rebuild gives the same digests.
		u.UpToDate, u.New, u.readCVEs, u.cache = true, old, o.cves, cache
		return u, nil
	}
	u.New, u.readCVEs, u.cache = nl, o.cves, cache
	if o.cves && old != nil {
		if err := u.closes(ctx, src, cache, o); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (o *options) downloadCache() (*fetch.Cache, error) {
	if o.cache != nil {
		return o.cache, nil
	}
	dir, err := fetch.DefaultDir()
	if err != nil {
		return nil, fmt.Errorf("finding the download cache: %w", err)
	}
	c, err := fetch.New(dir, fetch.WithLogger(o.log))
	if err != nil {
		return nil, fmt.Errorf("opening the download cache %s: %w", dir, err)
	}
	o.cache = c
	return c, nil
}

// closes fills Fixes and CVEs from the changelogs of the changed packages'
// newer versions, one architecture at a time (Closes reads one index).
func (u *LockUpdate) closes(ctx context.Context, src repo.Source, cache *fetch.Cache, o *options) error {
	byArch := map[string]*sbom.Document{}
	var archs []string
	newer := map[string]*lock.Package{} // name, old architecture → new
	for _, c := range u.Changes {
		if c.Kind != lock.Changed || c.Old == nil || c.New == nil {
			continue
		}
		newer[c.Old.Name+"\x00"+c.Old.Architecture] = c.New
		d := byArch[c.Arch]
		if d == nil {
			d = &sbom.Document{Image: sbom.Image{Name: u.Spec}}
			byArch[c.Arch] = d
			archs = append(archs, c.Arch)
		}
		d.Packages = append(d.Packages, sbom.Package{
			Ecosystem: sbom.Deb, Name: c.Old.Name, Version: c.Old.Version, Arch: c.Old.Architecture,
			Source: c.Old.Source, SourceVersion: c.Old.SourceVersion, Layer: -1,
		})
	}
	all := map[string]bool{}
	for _, arch := range archs {
		ups, err := changelog.Closes(ctx, byArch[arch], changelog.WithSource(src), changelog.WithArch(arch),
			changelog.WithCache(cache), changelog.WithLogger(o.log), changelog.WithRepoOptions(o.repoOpts...))
		if err != nil {
			return fmt.Errorf("reading the changelogs of the updated packages (%s): %w (or pass --no-cves)", arch, err)
		}
		for _, up := range ups {
			if n := newer[up.Package.Name+"\x00"+up.Package.Arch]; n != nil && len(up.Entries) > 0 {
				if u.changelogs == nil {
					u.changelogs = map[string][]changelog.Entry{}
				}
				u.changelogs[sourceKey(*n)] = up.Entries
			}
			cves := up.CVEs()
			if len(cves) == 0 {
				continue
			}
			u.Fixes = append(u.Fixes, Fix{Package: up.Package.Name, Arch: arch, Old: up.Package.Version, New: up.Candidate, CVEs: cves})
			for _, c := range cves {
				all[c] = true
			}
		}
	}
	for c := range all {
		u.CVEs = append(u.CVEs, c)
	}
	slices.Sort(u.CVEs)
	return nil
}

// sourceKey names the changelog a package of a lock ships: its source
// package and source version.
func sourceKey(p lock.Package) string {
	return cmp.Or(p.Source, p.Name) + "\x00" + cmp.Or(p.SourceVersion, p.Version)
}
