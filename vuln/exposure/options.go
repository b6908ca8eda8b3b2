package exposure

import (
	"errors"
	"log/slog"
)

// ErrTooLarge is matched by errors about images beyond Analyze's bounds.
var ErrTooLarge = errors.New("image exceeds exposure analysis limits")

// Option configures Analyze.
type Option func(*options)

type options struct {
	log        *slog.Logger
	maxFile    int64
	maxConfig  int64
	maxEntries int
}

// WithLogger sets where skipped files (too large, unreadable ELF) are
// reported. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithMaxFile bounds the size of one ELF file held in memory while it is
// summarised; larger files are skipped (and logged). Default 512 MiB.
func WithMaxFile(n int64) Option { return func(o *options) { o.maxFile = n } }

// WithMaxConfig bounds the total size of the ld.so configuration and dpkg
// file lists kept. Default 64 MiB.
func WithMaxConfig(n int64) Option { return func(o *options) { o.maxConfig = n } }

// WithMaxEntries bounds the number of file system entries of the flattened
// image. Default 2,000,000.
func WithMaxEntries(n int) Option { return func(o *options) { o.maxEntries = n } }
