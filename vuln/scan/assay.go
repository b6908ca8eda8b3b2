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
	"github.com/ingot-dev/ingot/vuln/report"
)

// NoOwner is the owner of findings in layers and images nobody owns.
const NoOwner = "(no owner)"

// Assay is the fleet's findings by owner.
type Assay struct {
	Images   int `json:"images"`
	Packages int `json:"packages"` // distinct (ecosystem, name, version) of the fleet
	// Summary counts every finding of the fleet.
	Summary report.Summary `json:"summary"`
	Owners  []OwnerReport  `json:"owners"`
	// Timings, in seconds: reading the inventory and matching (they overlap).
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
// high first. Images are read from the inventory and matched by
// WithWorkers goroutines; the matcher matches each distinct package once.
func (s *Scanner) Assay(ctx context.Context, inv *inventory.Store, f inventory.Filter) (*Assay, error) {
	start := time.Now()
	images, err := inv.List(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("listing the inventory's images: %w", err)
	}
	type imageResult struct {
		image    inventory.Image
		byOwner  map[string]*report.Summary
		packages []string
		read     time.Duration
		err      error
	}
	results := make([]imageResult, len(images))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(s.opts.workers, max(len(images), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := &results[i]
				r.image = images[i]
				t := time.Now()
				doc, err := s.document(ctx, inv, images[i])
				r.read = time.Since(t)
				if err == nil {
					r.byOwner, r.packages, err = s.assayOne(ctx, images[i], doc)
				}
				r.err = err
				mu.Lock()
				done++
				if s.opts.progress != nil && (done%100 == 0 || done == len(images)) {
					s.opts.progress(done, len(images))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range images {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	out := &Assay{Images: len(images), Owners: []OwnerReport{}}
	owners := map[string]*OwnerReport{}
	distinct := map[string]struct{}{}
	var read time.Duration
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		read += r.read
		for _, k := range r.packages {
			distinct[k] = struct{}{}
		}
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
	out.Packages = len(distinct)
	for _, o := range owners {
		slices.SortFunc(o.Images, func(a, b ImageReport) int { return cmp.Or(bySeverity(a.Summary, b.Summary), cmp.Compare(a.Ref, b.Ref)) })
		out.Owners = append(out.Owners, *o)
	}
	slices.SortFunc(out.Owners, func(a, b OwnerReport) int {
		return cmp.Or(bySeverity(a.Summary, b.Summary), cmp.Compare(a.Owner, b.Owner))
	})
	out.ReadSeconds = read.Seconds() / float64(max(s.opts.workers, 1))
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

// assayOne matches one image and counts its findings by owner.
func (s *Scanner) assayOne(ctx context.Context, im inventory.Image, doc *sbom.Document) (map[string]*report.Summary, []string, error) {
	res, err := s.finish(ctx, im.Ref(), nil, doc, s.m.Match(doc))
	if err != nil {
		return nil, nil, err
	}
	byOwner := map[string]*report.Summary{}
	for i := range res.Findings {
		f := &res.Findings[i]
		owner := im.Owner
		if f.Layer != nil && f.Layer.Owner != "" {
			owner = f.Layer.Owner
		}
		if owner == "" {
			owner = NoOwner
		}
		sum := byOwner[owner]
		if sum == nil {
			sum = &report.Summary{}
			byOwner[owner] = sum
		}
		sum.Add(f)
	}
	keys := make([]string, 0, len(doc.Packages))
	for _, p := range doc.Packages {
		keys = append(keys, p.Ecosystem+"\x00"+p.Name+"\x00"+p.Version)
	}
	return byOwner, keys, nil
}

// document rebuilds an image's SBOM from the inventory.
func (s *Scanner) document(ctx context.Context, inv *inventory.Store, im inventory.Image) (*sbom.Document, error) {
	details, err := inv.Show(ctx, im.Ref())
	if err != nil {
		return nil, fmt.Errorf("reading %s from the inventory: %w", im.Ref(), err)
	}
	var d *inventory.Detail
	for i := range details {
		if details[i].Image.Digest == im.Digest {
			d = &details[i]
		}
	}
	if d == nil {
		return nil, fmt.Errorf("reading %s from the inventory: %w", im.Ref(), inventory.ErrNotFound)
	}
	return Document(d), nil
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
