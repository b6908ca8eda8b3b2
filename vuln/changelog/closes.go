package changelog

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

// Update is one installed package for which the archive offers a newer
// version, and the CVEs that the uploads in between name.
type Update struct {
	Package   sbom.Package `json:"package"`   // as installed
	Candidate string       `json:"candidate"` // the newer binary version
	Suite     string       `json:"suite"`     // where the candidate is, "bookworm-security"
	// Fixes are the uploads newer than the installed version and not newer
	// than the candidate that name at least one CVE, newest first.
	Fixes []Fix `json:"fixes,omitempty"`
	// Changelog says where the entries were read: "/usr/share/doc/libssl3/
	// changelog.Debian.gz of libssl3 3.0.22-1~deb12u2"; "" when no candidate
	// .deb of the source ships one (Fixes is then empty, not "none").
	Changelog string `json:"changelog,omitempty"`
	// Entries are the candidate's changelog entries as read, newest first
	// (shared by the updates of one source version), for Between from
	// another installed version without reading the .deb again.
	Entries []Entry `json:"-"`
}

// Fix is one upload of a changelog that names CVEs.
type Fix struct {
	Version      string   `json:"version"`
	Distribution string   `json:"distribution"` // the upload's first distribution
	Urgency      string   `json:"urgency"`
	CVEs         []string `json:"cves"`
}

// CVEs returns every CVE the update closes, sorted.
func (u *Update) CVEs() []string {
	var ids []string
	for _, f := range u.Fixes {
		ids = append(ids, f.CVEs...)
	}
	slices.SortFunc(ids, compareCVE)
	return slices.Compact(ids)
}

// Closes lists, for each Debian package of doc for which the archive offers
// a newer version, the CVEs that the newer version's changelog names in the
// uploads between the installed and the candidate version. The newer .debs
// are downloaded in parallel through the cache, verified against the index's
// SHA256, and read in memory; one .deb is read per candidate source version
// (the smallest binary that ships the changelog). Packages that are up to date, or
// that the archive does not carry, are left out. Updates come sorted by
// package name and architecture.
func Closes(ctx context.Context, doc *sbom.Document, opts ...Option) ([]Update, error) {
	o := options{log: slog.New(slog.DiscardHandler), maxDeb: defaultMaxDeb}
	for _, opt := range opts {
		opt(&o)
	}
	src, err := source(doc, o.src)
	if err != nil {
		return nil, err
	}
	if o.cache == nil {
		dir, err := fetch.DefaultDir()
		if err != nil {
			return nil, fmt.Errorf("finding the download cache: %w", err)
		}
		if o.cache, err = fetch.New(dir); err != nil {
			return nil, fmt.Errorf("opening the download cache: %w", err)
		}
	}
	arch := o.arch
	if arch == "" {
		arch = imageArch(doc)
	}
	client := repo.New(o.cache, o.repoOpts...)
	ix, err := client.Index(ctx, src, arch)
	if err != nil {
		return nil, fmt.Errorf("reading the package index of %s for %s: %w", strings.Join(src.Suites, ", "), arch, err)
	}

	var ups []*pending
	groups := map[string][]*pending{}
	for _, p := range doc.Packages {
		if p.Ecosystem != sbom.Deb {
			continue
		}
		cand := ix.Candidate(p.Name)
		if cand == nil {
			continue
		}
		inst, err := debian.ParseVersion(p.Version)
		if err != nil {
			o.log.Warn("skipping package with an invalid version", "package", p.Name, "version", p.Version, "err", err)
			continue
		}
		if cand.Version.Compare(inst) <= 0 {
			continue
		}
		u := &pending{Update: Update{Package: p, Candidate: cand.Version.String(), Suite: cand.Suite}, cand: cand}
		ups = append(ups, u)
		key := cand.Source + "\x00" + cand.SourceVersion.String()
		groups[key] = append(groups[key], u)
	}

	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Download the first .deb of every group in parallel; the rare group
	// whose first choice has no changelog fetches its next one on its own.
	var first []fetch.Item
	for _, k := range keys {
		if c := candidates(groups[k]); len(c) > 0 && c[0].Size <= o.maxDeb {
			first = append(first, item(client, src, c[0]))
		}
	}
	if _, err := o.cache.GetAll(ctx, first); err != nil {
		return nil, fmt.Errorf("downloading the candidate packages: %w", err)
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g := groups[k]
		entries, from, err := groupChangelog(ctx, client, o, src, g)
		if err != nil {
			return nil, err
		}
		for _, u := range g {
			u.Changelog, u.Entries = from, entries
			u.Fixes = between(entries, comparable(u.Package.Version, u.Package.SourceVersion), comparable(u.cand.Version.String(), u.cand.SourceVersion.String()))
		}
	}

	out := make([]Update, len(ups))
	for i, u := range ups {
		out[i] = u.Update
	}
	slices.SortFunc(out, func(a, b Update) int {
		return cmp.Or(cmp.Compare(a.Package.Name, b.Package.Name), cmp.Compare(a.Package.Arch, b.Package.Arch))
	})
	return out, nil
}

type pending struct {
	Update
	cand *debian.Package
}

// groupChangelog reads the changelog of one candidate source version from
// the smallest candidate .deb of the group that ships it.
func groupChangelog(ctx context.Context, client *repo.Client, o options, src repo.Source, g []*pending) ([]Entry, string, error) {
	for _, c := range candidates(g) {
		name := c.Name + " " + c.Version.String()
		if c.Size > o.maxDeb {
			o.log.Warn("not reading a .deb larger than the bound", "package", name, "size", c.Size, "max", o.maxDeb)
			continue
		}
		p, err := o.cache.Get(ctx, item(client, src, c))
		if err != nil {
			return nil, "", fmt.Errorf("downloading %s: %w", name, err)
		}
		entries, found, err := FromDebFile(p, c.Name, c.Architecture, WithMaxDeb(o.maxDeb))
		if err != nil {
			return nil, "", fmt.Errorf("reading the changelog of %s: %w", name, err)
		}
		if found {
			return entries, "changelog of " + name, nil
		}
		o.log.Debug("no changelog in .deb", "package", name)
	}
	return nil, "", nil
}

// candidates are the distinct candidate packages of a group, smallest .deb
// first.
func candidates(g []*pending) []*debian.Package {
	cands := make([]*debian.Package, 0, len(g))
	for _, u := range g {
		if !slices.ContainsFunc(cands, func(c *debian.Package) bool { return c.Name == u.cand.Name }) {
			cands = append(cands, u.cand)
		}
	}
	slices.SortFunc(cands, func(a, b *debian.Package) int {
		return cmp.Or(cmp.Compare(a.Size, b.Size), cmp.Compare(a.Name, b.Name))
	})
	return cands
}

func item(client *repo.Client, src repo.Source, c *debian.Package) fetch.Item {
	return fetch.Item{URL: client.PackageURL(src, c), Size: c.Size, SHA256: c.SHA256, Name: c.Name + " " + c.Version.String() + " (" + c.Architecture + ")"}
}

// comparable returns the version of a binary package that changelog entries
// (source versions) compare with: the binary version when it is the source
// version or a binNMU of it ("+b1"), else the source version.
func comparable(version, sourceVersion string) string {
	if sourceVersion == "" || version == sourceVersion || strings.HasPrefix(version, sourceVersion+"+b") {
		return version
	}
	return sourceVersion
}

// Between returns the uploads of entries (a changelog, newest first) newer
// than installed and not newer than candidate that name CVEs, newest first:
// what moving a package from installed to candidate closes, whatever
// version the changelog was read for. Each package's Version is compared as
// its changelog names it: itself when it is its SourceVersion ("" means the
// same) or a binNMU of it ("+b1"), else the SourceVersion.
func Between(entries []Entry, installed, candidate sbom.Package) []Fix {
	return between(entries, comparable(installed.Version, installed.SourceVersion), comparable(candidate.Version, candidate.SourceVersion))
}

// between returns the entries newer than lo and not newer than hi that name
// CVEs. Entries whose version does not parse are skipped.
func between(entries []Entry, lo, hi string) []Fix {
	l, err1 := debian.ParseVersion(lo)
	h, err2 := debian.ParseVersion(hi)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []Fix
	for _, e := range entries {
		v, err := debian.ParseVersion(e.Version)
		if err != nil || v.Compare(l) <= 0 || v.Compare(h) > 0 {
			continue
		}
		ids := CVEs(e.Changes)
		if len(ids) == 0 {
			continue
		}
		dist := ""
		if len(e.Distributions) > 0 {
			dist = e.Distributions[0]
		}
		out = append(out, Fix{Version: e.Version, Distribution: dist, Urgency: e.Urgency, CVEs: ids})
	}
	slices.SortStableFunc(out, func(a, b Fix) int {
		return -compareVersions(a.Version, b.Version)
	})
	return out
}

// source is the archive to ask: the caller's, or the machine's narrowed to
// the image's release.
func source(doc *sbom.Document, src *repo.Source) (repo.Source, error) {
	if src != nil {
		return *src, nil
	}
	s, err := repo.SystemSource()
	if err != nil {
		return repo.Source{}, fmt.Errorf("finding the Debian mirror (set %s or pass WithSource): %w", repo.EnvMirror, err)
	}
	rel := vuln.DebianRelease(doc.Image.Distro)
	if c, ok := sbom.DebianCodename(rel); ok {
		hasSecurity := s.SecurityMirror != "" || slices.ContainsFunc(s.Suites, func(x string) bool { return strings.HasSuffix(x, "-security") })
		s.Suites = []string{c, c + "-updates"}
		if hasSecurity {
			s.Suites = append(s.Suites, c+"-security")
		}
	} else if rel != "" && !slices.Contains(s.Suites, rel) {
		s.Suites = []string{rel}
	}
	if err := s.Validate(); err != nil {
		return repo.Source{}, fmt.Errorf("checking the Debian source for image %s (distro %q): %w", doc.Image.Name, doc.Image.Distro, err)
	}
	return s, nil
}

var platformArch = map[string]string{"amd64": "amd64", "arm64": "arm64", "arm/v7": "armhf", "arm/v6": "armel", "arm/v5": "armel", "386": "i386", "ppc64le": "ppc64el", "s390x": "s390x", "riscv64": "riscv64", "mips64le": "mips64el"}

// imageArch is the Debian architecture of doc's image.
func imageArch(doc *sbom.Document) string {
	if _, a, ok := strings.Cut(doc.Image.Platform, "/"); ok {
		if d, ok := platformArch[a]; ok {
			return d
		}
		a, _, _ = strings.Cut(a, "/")
		if d, ok := platformArch[a]; ok {
			return d
		}
	}
	for _, p := range doc.Packages {
		if p.Ecosystem == sbom.Deb && p.Arch != "" && p.Arch != "all" {
			return p.Arch
		}
	}
	return "amd64"
}

// compareVersions is dpkg's order, falling back to byte order for versions
// that do not parse.
func compareVersions(a, b string) int {
	c, err := debian.CompareVersions(a, b)
	if err != nil {
		return strings.Compare(a, b)
	}
	return c
}
