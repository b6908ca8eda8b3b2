package scan

import (
	"context"
	"log/slog"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/changelog"
	"github.com/ingot-dev/ingot/vuln/vex"
)

// Prioritizer sets the Priority and Reason of an image's findings, returning
// new findings. img is nil when only the SBOM is known (Assay): exposure is
// then unknown.
type Prioritizer func(ctx context.Context, img v1.Image, doc *sbom.Document, fs []vuln.Finding) ([]vuln.Finding, error)

// Option configures a Scanner.
type Option func(*options)

type options struct {
	vex         *vex.Index
	prioritize  Prioritizer
	changelogs  bool
	changelogOp []changelog.Option
	log         *slog.Logger
	workers     int
	progress    func(done, total int)
}

// WithVEX applies decisions to every finding. Default: none.
func WithVEX(ds []vex.Decision) Option { return func(o *options) { o.vex = vex.NewIndex(ds) } }

// WithPrioritizer sets how findings get their priority. Default:
// vuln/priority's rules, with the exposure of the image's entrypoint
// (vuln/exposure) when the image is at hand.
func WithPrioritizer(p Prioritizer) Option { return func(o *options) { o.prioritize = p } }

// WithChangelogs adds, for each Debian package the archive has a newer
// version of, the CVEs that version's changelog names (vuln/changelog;
// needs the archive). Default: off.
func WithChangelogs(opts ...changelog.Option) Option {
	return func(o *options) { o.changelogs, o.changelogOp = true, opts }
}

// WithLogger sets where progress is reported. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithWorkers sets how many images Assay reads and matches at once.
// Default: 4.
func WithWorkers(n int) Option { return func(o *options) { o.workers = max(n, 1) } }

// WithProgress calls f as Assay proceeds, every 100 images with the images
// done and 0, and at the end with the total twice. Default: no callback.
func WithProgress(f func(done, total int)) Option { return func(o *options) { o.progress = f } }

// Scanner scans images against one feed index. Build one per run and reuse
// it: it remembers the result of every distinct package it matched. Safe for
// concurrent use.
type Scanner struct {
	opts options
	m    *vuln.Matcher
}

// New returns a Scanner matching against idx.
func New(idx vuln.Index, opts ...Option) *Scanner {
	o := options{log: slog.New(slog.DiscardHandler), workers: 4}
	for _, opt := range opts {
		opt(&o)
	}
	if o.prioritize == nil {
		o.prioritize = defaultPrioritizer(o.log)
	}
	return &Scanner{opts: o, m: vuln.NewMatcher(idx)}
}
