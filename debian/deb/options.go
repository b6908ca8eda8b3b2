package deb

// Option configures Read.
type Option func(*options)

type options struct {
	maxSize    int64
	maxEntries int
	name       string
}

// Default limits.
const (
	DefaultMaxSize    = 4 << 30 // 4 GiB uncompressed
	DefaultMaxEntries = 1 << 20
)

func newOptions(opts []Option) options {
	o := options{maxSize: DefaultMaxSize, maxEntries: DefaultMaxEntries}
	for _, opt := range opts {
		opt(&o)
	}
	if o.maxSize <= 0 {
		o.maxSize = DefaultMaxSize
	}
	if o.maxEntries <= 0 {
		o.maxEntries = DefaultMaxEntries
	}
	return o
}

// WithMaxSize bounds the total uncompressed bytes of control.tar and
// data.tar (headers and bodies). Default 4 GiB; n <= 0 keeps the default.
func WithMaxSize(n int64) Option { return func(o *options) { o.maxSize = n } }

// WithMaxEntries bounds the number of members in control.tar and data.tar
// together. Default 1<<20; n <= 0 keeps the default.
func WithMaxEntries(n int) Option { return func(o *options) { o.maxEntries = n } }

// WithName names the package in errors, for example with its name and
// version from a lock. Default: the control file's Package field once it
// has been read, "(unknown)" before.
func WithName(pkg string) Option { return func(o *options) { o.name = pkg } }
