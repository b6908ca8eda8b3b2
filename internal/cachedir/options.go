package cachedir

import (
	"fmt"
	"log/slog"
	"time"
)

// Option configures Measure and Prune.
type Option func(*options)

type options struct {
	unusedFor time.Duration
	all       bool
	dryRun    bool
	log       *slog.Logger
}

// DefaultUnusedFor is how long Prune keeps an unused entry by default.
const DefaultUnusedFor = 30 * 24 * time.Hour

func defaultOptions() options {
	return options{unusedFor: DefaultUnusedFor, log: slog.New(slog.DiscardHandler)}
}

// WithUnusedFor makes Prune remove the entries not used for at least d.
// Last use is recorded to the hour (fetch.TouchAfter): below an hour, an
// entry in use may be removed: the build using it then fetches or builds
// it again, or fails.
// Temporaries are removed only when older than fetch.StaleTemp (24h),
// whatever d is: a younger one may be another process's work in progress.
// Default DefaultUnusedFor (30 days, 720h).
func WithUnusedFor(d time.Duration) Option { return func(o *options) { o.unusedFor = d } }

// WithAll makes Prune remove every entry of every area, used or not, and
// every temporary, however fresh. An ingot process using the cache at that
// moment may then fail and must be run again. Default false.
func WithAll(all bool) Option { return func(o *options) { o.all = all } }

// WithDryRun makes Prune report what it would remove and remove nothing.
// Default false.
func WithDryRun(dry bool) Option { return func(o *options) { o.dryRun = dry } }

// WithLogger sets the logger for details: each entry removed, symlinks and
// unknown files left alone. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

func makeOptions(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.unusedFor < 0 {
		return o, fmt.Errorf("unused-for %v: must not be negative", o.unusedFor)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
