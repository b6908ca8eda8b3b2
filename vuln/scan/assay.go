package scan

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
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
		cache    sync.Map // package key → []vuln.Finding, prioritised
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
	cache.Range(func(any, any) bool { out.Packages++; return true })
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

// assayOne counts one image's findings by owner. Each distinct package
// (with the image's release) is matched and prioritised once, in cache;
// findings a VEX decision covers in this image are re-prioritised.
func (s *Scanner) assayOne(ctx context.Context, cache *sync.Map, d *inventory.Detail) (map[string]*report.Summary, error) {
	doc := Document(d)
	byOwner := map[string]*report.Summary{}
	for _, p := range doc.Packages {
		key := strings.Join([]string{doc.Image.Distro, p.Ecosystem, p.Name, p.Version, p.Arch, p.Source, p.SourceVersion, p.PURL}, "\x00")
		v, ok := cache.Load(key)
		if !ok {
			one := &sbom.Document{Image: sbom.Image{Distro: doc.Image.Distro}, Packages: []sbom.Package{p}}
			one.Packages[0].Layer = -1
			fs := s.m.Match(one)
			if len(fs) > 0 {
				var err error
				if fs, err = s.opts.prioritize(ctx, nil, one, fs); err != nil {
					return nil, fmt.Errorf("prioritising the findings of %s: %w", d.Image.Ref(), err)
				}
			}
			v, _ = cache.LoadOrStore(key, fs)
		}
		fs := v.([]vuln.Finding)
		if len(fs) == 0 {
			continue
		}
		owner := doc.Image.Owner
		if l := doc.LayerOf(p); l != nil && l.Owner != "" {
			owner = l.Owner
		}
		if owner == "" {
			owner = NoOwner
		}
		sum := byOwner[owner]
		if sum == nil {
			sum = &report.Summary{}
			byOwner[owner] = sum
		}
		for i := range fs {
			f := &fs[i]
			if s.opts.vex != nil && s.opts.vex.Lookup(doc.Image.Name, doc.Image.Digest, f) != nil {
				decided, err := s.opts.prioritize(ctx, nil, doc, s.opts.vex.Apply(doc.Image.Name, doc.Image.Digest, []vuln.Finding{*f}))
				if err != nil {
					return nil, fmt.Errorf("prioritising the findings of %s: %w", d.Image.Ref(), err)
				}
				f = &decided[0]
			}
			sum.Add(f)
		}
	}
	return byOwner, nil
}

// Document returns the sbom.Document of an inventory image, with what
// matching needs: the image's name, digest, platform and distro, its layers
// and owners, and each package with the layer it is in.
func Document(d *inventory.Detail) *sbom.Document {
	doc := &sbom.Document{Image: sbom.Image{
		Name: d.Image.Repository, Tags: d.Image.Tags, Digest: d.Image.Digest, Platform: d.Image.Platform,
		Owner: d.Image.Owner, Distro: d.Image.Distro, BaseName: d.Image.BaseName, BaseDigest: d.Image.BaseDigest,
	}}
	n := 0
	for _, l := range d.Layers {
		n += len(l.Packages)
	}
	doc.Packages = make([]sbom.Package, 0, n)
	for _, l := range d.Layers {
		layer := -1
		if l.Position >= 0 {
			layer = len(doc.Image.Layers)
			doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{DiffID: l.DiffID, Digest: l.Digest, Name: l.Name,
				Owner: l.Owner, Base: l.Origin == inventory.OriginBase})
		}
		for _, p := range l.Packages {
			doc.Packages = append(doc.Packages, sbom.Package{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version,
				Arch: p.Arch, Source: p.Source, SourceVersion: p.SourceVersion, PURL: p.PURL, Layer: layer})
		}
	}
	return doc
}
