package rebase

import (
	"log/slog"
)

// Option configures Plan, Image and Index.
type Option func(*options)

type options struct {
	force   bool
	oldName string
	newName string
	log     *slog.Logger
}

func makeOptions(opts []Option) *options {
	o := &options{log: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(o)
	}
	return o
}

// WithForce accepts a new base that is not a build of the same golden
// image (ErrOtherBase); the Change records a warning instead. Layer and
// platform checks still apply. Default: false.
func WithForce(force bool) Option { return func(o *options) { o.force = force } }

// WithOldBaseName names the old base as users name it
// ("registry/golden/base:1"), for the identity check and reports.
// Default: the base name in the image's lineage or annotations.
func WithOldBaseName(ref string) Option { return func(o *options) { o.oldName = ref } }

// WithNewBaseName names the new base as users name it; it is written to
// org.opencontainers.image.base.name and the lineage, and used by the
// identity check. Default: the old base's name (the new base is usually a
// newer build behind the same tag).
func WithNewBaseName(ref string) Option { return func(o *options) { o.newName = ref } }

// WithLogger logs decisions at debug level. Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}
