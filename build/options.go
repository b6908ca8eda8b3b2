package build

import (
	"io"
	"log/slog"
	"runtime"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/inventory"
)

// Option configures Golden.
type Option func(*options)

type options struct {
	lockfile    string
	archs       []string
	cache       *fetch.Cache
	progress    io.Writer
	terminal    bool
	log         *slog.Logger
	parallelism int
	repoOpts    []repo.Option
	fetchOpts   []fetch.Option
	layerCache  bool

	layout   string
	tarball  string
	push     bool
	tag      string
	insecure bool

	inventory   *inventory.Store // see inventory.go
	noInventory bool
}

func defaultOptions() options {
	return options{
		log:         slog.New(slog.DiscardHandler),
		parallelism: max(2, runtime.GOMAXPROCS(0)),
		layerCache:  true,
	}
}

// WithLockfile sets the lock file to build from (and to write when it is
// missing or stale). Default: ingot.lock in the spec's directory.
func WithLockfile(path string) Option { return func(o *options) { o.lockfile = path } }

// WithArchitectures builds only these of the spec's architectures.
// Default: all of them.
func WithArchitectures(archs ...string) Option { return func(o *options) { o.archs = archs } }

// WithCache sets the download cache. Default: a cache in fetch.DefaultDir(),
// with WithProgress and WithLogger applied.
func WithCache(c *fetch.Cache) Option { return func(o *options) { o.cache = c } }

// WithFetchOptions adds options to the default download cache (ignored with
// WithCache). Default: none.
func WithFetchOptions(opts ...fetch.Option) Option {
	return func(o *options) { o.fetchOpts = append(o.fetchOpts, opts...) }
}

// WithRepoOptions adds options to the repository client used when a lock
// must be generated. Default: none.
func WithRepoOptions(opts ...repo.Option) Option {
	return func(o *options) { o.repoOpts = append(o.repoOpts, opts...) }
}

// WithProgress reports download progress to w: a redrawn line when terminal
// is true, plain lines otherwise. Default: no progress.
func WithProgress(w io.Writer, terminal bool) Option {
	return func(o *options) { o.progress, o.terminal = w, terminal }
}

// WithLogger sets the logger for what the build does step by step.
// Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithParallelism bounds how many .debs are decompressed and layers encoded
// at once. Default: GOMAXPROCS, at least 2.
func WithParallelism(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.parallelism = n
		}
	}
}

// WithLayerCache sets whether encoded layers are kept in, and reused from,
// <cache dir>/layers, keyed by everything they are made from (see
// layerCache). Default true.
func WithLayerCache(enabled bool) Option { return func(o *options) { o.layerCache = enabled } }

// WithLayout writes the index as an OCI image layout directory at dir.
// Default: no layout.
func WithLayout(dir string) Option { return func(o *options) { o.layout = dir } }

// WithTarball writes a `docker load`-able tarball of one image (the host's
// architecture if built, else the first) at path, tagged with the push
// reference or the spec's name. Default: no tarball.
func WithTarball(path string) Option { return func(o *options) { o.tarball = path } }

// WithPush pushes the index to the WithTag reference. Default: no push.
func WithPush() Option { return func(o *options) { o.push = true } }

// WithTag sets the reference pushed to and written into the tarball.
// Default: the spec's name, tag latest.
func WithTag(ref string) Option { return func(o *options) { o.tag = ref } }

// WithInsecure allows plain HTTP to the push registry (for a registry on
// 127.0.0.1 in tests). Default: false.
func WithInsecure(insecure bool) Option { return func(o *options) { o.insecure = insecure } }
