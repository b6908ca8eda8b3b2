package scan

import (
	"context"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/changelog"
	"github.com/ingot-dev/ingot/vuln/report"
)

// Scan returns the findings of one image: doc's packages matched against the
// feeds, plus the CVEs newer Debian versions' changelogs close (with
// WithChangelogs), prioritised (WithPrioritizer, which may look into img)
// and with VEX decisions applied, sorted for reading. ref is how the user
// named the image; img may be nil when only doc is known.
func (s *Scanner) Scan(ctx context.Context, ref string, img v1.Image, doc *sbom.Document) (*report.Result, error) {
	fs := s.m.Match(doc)
	if s.opts.changelogs {
		updates, err := changelog.Closes(ctx, doc, append([]changelog.Option{changelog.WithLogger(s.opts.log)}, s.opts.changelogOp...)...)
		if err != nil {
			return nil, fmt.Errorf("reading the changelogs of newer versions of %s's packages: %w", ref, err)
		}
		fs = merge(fs, changelog.Findings(doc, updates))
	}
	return s.finish(ctx, ref, img, doc, fs)
}

// finish prioritises findings, applies decisions and summarises.
func (s *Scanner) finish(ctx context.Context, ref string, img v1.Image, doc *sbom.Document, fs []vuln.Finding) (*report.Result, error) {
	// Decisions first, for the statuses priorities weigh, then again for
	// the reasons, which the prioritizer rewrites.
	if s.opts.vex != nil {
		fs = s.opts.vex.Apply(doc.Image.Name, doc.Image.Digest, fs)
	}
	if len(fs) > 0 {
		var err error
		if fs, err = s.opts.prioritize(ctx, img, doc, fs); err != nil {
			return nil, fmt.Errorf("prioritising the findings of %s: %w", ref, err)
		}
		if s.opts.vex != nil {
			fs = s.opts.vex.Apply(doc.Image.Name, doc.Image.Digest, fs)
		}
	}
	if fs == nil {
		fs = []vuln.Finding{}
	}
	report.Sort(fs)
	return &report.Result{
		Image: report.Image{Ref: ref, Name: doc.Image.Name, Digest: doc.Image.Digest,
			Platform: doc.Image.Platform, Distro: doc.Image.Distro},
		Findings: fs,
		Summary:  report.Summarise(fs),
	}, nil
}

// merge adds the changelog's findings that the feeds did not report: a CVE
// the feeds know for the same package keeps the feeds' richer finding.
func merge(feeds, logs []vuln.Finding) []vuln.Finding {
	seen := map[string]bool{}
	for i := range feeds {
		f := &feeds[i]
		for _, id := range append([]string{f.Advisory.ID}, f.Advisory.Aliases...) {
			seen[f.Package.Name+"\x00"+f.Package.Arch+"\x00"+strings.ToUpper(id)] = true
		}
	}
	out := feeds
	for _, f := range logs {
		if !seen[f.Package.Name+"\x00"+f.Package.Arch+"\x00"+strings.ToUpper(f.Advisory.ID)] {
			out = append(out, f)
		}
	}
	return out
}
