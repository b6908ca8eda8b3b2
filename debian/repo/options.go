package repo

import (
	"log/slog"
	"time"
)

// Option configures a Client.
type Option func(*options)

type options struct {
	log        *slog.Logger
	now        func() time.Time
	maxRelease int64
	maxIndex   int64

	parsedCache bool
}

func defaultOptions() options {
	return options{
		log:        slog.New(slog.DiscardHandler),
		now:        time.Now,
		maxRelease: 16 << 20,
		maxIndex:   1 << 30,

		parsedCache: true,
	}
}

// WithLogger sets the logger for debug details (which index was fetched,
// fallbacks). Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithNow sets the clock used for Valid-Until and signature checks.
// Default: time.Now.
func WithNow(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithMaxRelease bounds the size of an InRelease file, or of a Release file
// where the mirror has no InRelease. Default 16 MiB (Debian's are under 1 MiB).
func WithMaxRelease(n int64) Option { return func(o *options) { o.maxRelease = n } }

// WithMaxIndex bounds the decompressed size of one Packages index.
// Default 1 GiB (Debian's largest is under 100 MiB).
func WithMaxIndex(n int64) Option { return func(o *options) { o.maxIndex = n } }

// WithParsedIndexCache sets whether the parsed form of each verified
// Packages index is kept next to the download cache, so a warm run decodes
// it instead of parsing the index's text again (several times faster).
// Default: true.
func WithParsedIndexCache(on bool) Option { return func(o *options) { o.parsedCache = on } }
