package scan

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/report"
)

// NoOwner is the owner of findings in layers and images nobody owns.
const NoOwner = "(no owner)"

// Assay is the fleet's findings by owner.
type Assay struct {
	Images   int `json:"images"`
	Packages int `json:"packages"` // distinct packages of the fleet (per Debian release)
	// Summary counts every finding of the fleet.
	Summary report.Summary `json:"summary"`
	Owners  []OwnerReport  `json:"owners"`
	// Timings, in seconds: reading the inventory, and the whole assay
	// (matching overlaps the reading).
	ReadSeconds  float64 `json:"readSeconds"`
	TotalSeconds float64 `json:"totalSeconds"`
}

// OwnerReport is what one owner must act on: the findings in the layers it
// owns (or, for layers without an owner, in its images), image by image.
type OwnerReport struct {
	Owner   string         `json:"owner"`
	Summary report.Summary `json:"summary"`
	Images  []ImageReport  `json:"images"`
}

// ImageReport counts one image's findings for one owner.
type ImageReport struct {
	Ref     string         `json:"ref"` // repository@digest
	Tags    []string       `json:"tags,omitempty"`
	Summary report.Summary `json:"summary"`
}

// Assay re-matches every image of inv that f selects against the scanner's
// feeds and reports the findings by owner, highest counts of critical and
// high first. The inventory is read in batches (inventory.Store.Fleet) while
// WithWorkers goroutines match; each distinct package of the fleet is
// matched and prioritised once (without an image, priorities cannot weigh
// exposure), and VEX decisions are applied image by image.
func (s *Scanner) Assay(ctx context.Context, inv *inventory.Store, f inventory.Filter) (*Assay, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type imageResult struct {
		image   inventory.Image
		byOwner map[string]*report.Summary
	}
	details := make(chan inventory.Detail, 64)
	var readErr error
	var readTime time.Duration
	go func() {
		defer close(details)
		t := time.Now()
		readErr = inv.Fleet(ctx, f, func(d inventory.Detail) error {
			select {
			case details <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		readTime = time.Since(t)
	}()
	var (
		mu       sync.Mutex
		results  []imageResult
		firstErr error
		wg       sync.WaitGroup
		cache    assayCache
	)
	for range s.opts.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range details {
				byOwner, err := s.assayOne(ctx, &cache, &d)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				results = append(results, imageResult{image: d.Image, byOwner: byOwner})
				if n := len(results); s.opts.progress != nil && n%100 == 0 {
					s.opts.progress(n, 0)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if readErr != nil {
		return nil, fmt.Errorf("reading the inventory: %w", readErr)
	}
	if s.opts.progress != nil {
		s.opts.progress(len(results), len(results))
	}

	out := &Assay{Images: len(results), Owners: []OwnerReport{}}
	owners := map[string]*OwnerReport{}
	for _, r := range results {
		for owner, sum := range r.byOwner {
			o := owners[owner]
			if o == nil {
				o = &OwnerReport{Owner: owner}
				owners[owner] = o
			}
			o.Images = append(o.Images, ImageReport{Ref: r.image.Ref(), Tags: r.image.Tags, Summary: *sum})
			o.Summary = add(o.Summary, *sum)
			out.Summary = add(out.Summary, *sum)
		}
	}
	cache.packages.Range(func(any, any) bool { out.Packages++; return true })
	for _, o := range owners {
		slices.SortFunc(o.Images, func(a, b ImageReport) int { return cmp.Or(bySeverity(a.Summary, b.Summary), cmp.Compare(a.Ref, b.Ref)) })
		out.Owners = append(out.Owners, *o)
	}
	slices.SortFunc(out.Owners, func(a, b OwnerReport) int {
		return cmp.Or(bySeverity(a.Summary, b.Summary), cmp.Compare(a.Owner, b.Owner))
	})
	out.ReadSeconds = readTime.Seconds()
	out.TotalSeconds = time.Since(start).Seconds()
	return out, nil
}

// bySeverity orders summaries with more critical, then high, ... first.
func bySeverity(a, b report.Summary) int {
	return cmp.Or(cmp.Compare(b.Critical, a.Critical), cmp.Compare(b.High, a.High), cmp.Compare(b.Medium, a.Medium),
		cmp.Compare(b.Low, a.Low), cmp.Compare(b.Negligible, a.Negligible), cmp.Compare(b.Unprioritised, a.Unprioritised))
}

func add(a, b report.Summary) report.Summary {
	return report.Summary{Critical: a.Critical + b.Critical, High: a.High + b.High, Medium: a.Medium + b.Medium,
		Low: a.Low + b.Low, Negligible: a.Negligible + b.Negligible, Unprioritised: a.Unprioritised + b.Unprioritised,
		Suppressed: a.Suppressed + b.Suppressed}
}

// pkgKey identifies a package for the assay's caches.
type pkgKey struct {
	distro, ecosystem, name, version, arch, source, sourceVersion, purl string
}

// layerResult is what a layer's packages contribute to an image's counts.
type layerResult struct {
	sum report.Summary // findings no VEX decision mentions
	// decidable are the findings some decision mentions: whether it covers
	// them depends on the image.
	decidable []vuln.Finding
}

// assayCache holds what Assay computes once: findings per distinct package
// and results per layer (layers are shared by the images of a base).
type assayCache struct {
	packages sync.Map // pkgKey → []vuln.Finding, prioritised
	layers   sync.Map // distro + "\x00" + diffID → *layerResult
}

// assayOne counts one image's findings by the owner of the layer that
// brought each package (else the image's owner).
func (s *Scanner) assayOne(ctx context.Context, c *assayCache, d *inventory.Detail) (map[string]*report.Summary, error) {
	im := d.Image
	byOwner := map[string]*report.Summary{}
	for _, l := range d.Layers {
		lr, err := s.layerResult(ctx, c, im, &l)
		if err != nil {
			return nil, err
		}
		if lr.sum == (report.Summary{}) && len(lr.decidable) == 0 {
			continue
		}
		owner := cmp.Or(l.Owner, im.Owner, NoOwner)
		sum := byOwner[owner]
		if sum == nil {
			sum = &report.Summary{}
			byOwner[owner] = sum
		}
		*sum = add(*sum, lr.sum)
		for i := range lr.decidable {
			f := &lr.decidable[i]
			if s.opts.vex.Lookup(im.Repository, im.Digest, f) != nil {
				one := &sbom.Document{Image: sbom.Image{Name: im.Repository, Digest: im.Digest, Distro: im.Distro}}
				decided, err := s.opts.prioritize(ctx, nil, one, s.opts.vex.Apply(im.Repository, im.Digest, []vuln.Finding{*f}))
				if err != nil {
					return nil, fmt.Errorf("prioritising the findings of %s: %w", im.Ref(), err)
				}
				f = &decided[0]
			}
			sum.Add(f)
		}
	}
	return byOwner, nil
}

// layerResult returns the findings of a layer's packages, from the cache
// unless the layer is the pseudo-layer of packages of unknown layer.
func (s *Scanner) layerResult(ctx context.Context, c *assayCache, im inventory.Image, l *inventory.LayerDetail) (*layerResult, error) {
	key := im.Distro + "\x00" + l.DiffID
	if l.Position >= 0 {
		if v, ok := c.layers.Load(key); ok {
			return v.(*layerResult), nil
		}
	}
	lr := &layerResult{}
	for _, p := range l.Packages {
		fs, err := s.packageFindings(ctx, c, im, p)
		if err != nil {
			return nil, err
		}
		for i := range fs {
			if s.opts.vex.Mentions(&fs[i]) {
				lr.decidable = append(lr.decidable, fs[i])
			} else {
				lr.sum.Add(&fs[i])
			}
		}
	}
	if l.Position >= 0 {
		v, _ := c.layers.LoadOrStore(key, lr)
		lr = v.(*layerResult)
	}
	return lr, nil
}

// packageFindings matches and prioritises one package, once per distinct
// package and release.
func (s *Scanner) packageFindings(ctx context.Context, c *assayCache, im inventory.Image, p inventory.Package) ([]vuln.Finding, error) {
	key := pkgKey{im.Distro, p.Ecosystem, p.Name, p.Version, p.Arch, p.Source, p.SourceVersion, p.PURL}
	if v, ok := c.packages.Load(key); ok {
		return v.([]vuln.Finding), nil
	}
	one := &sbom.Document{Image: sbom.Image{Distro: im.Distro}, Packages: []sbom.Package{{Ecosystem: p.Ecosystem, Name: p.Name,
		Version: p.Version, Arch: p.Arch, Source: p.Source, SourceVersion: p.SourceVersion, PURL: p.PURL, Layer: -1}}}
	fs := s.m.Match(one)
	if len(fs) > 0 {
		var err error
		if fs, err = s.opts.prioritize(ctx, nil, one, fs); err != nil {
			return nil, fmt.Errorf("prioritising the findings of %s %s: %w", p.Name, p.Version, err)
		}
	}
	v, _ := c.packages.LoadOrStore(key, fs)
	return v.([]vuln.Finding), nil
}
