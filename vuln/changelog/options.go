package changelog

import (
	"log/slog"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
)

// Option configures Closes.
type Option func(*options)

type options struct {
	src      *repo.Source
	cache    *fetch.Cache
	repoOpts []repo.Option
	log      *slog.Logger
	arch     string
	maxDeb   int64
}

// WithSource sets the archive to look for newer versions in. Default:
// the machine's apt configuration (repo.SystemSource), with its suites
// replaced by the image's release (<codename>, <codename>-updates and, when
// the machine has a security mirror, <codename>-security) when the image's
// distro is known.
func WithSource(src repo.Source) Option { return func(o *options) { o.src = &src } }

// WithCache sets the download cache for indexes and .debs. Default: a cache
// in fetch.DefaultDir().
func WithCache(c *fetch.Cache) Option { return func(o *options) { o.cache = c } }

// WithRepoOptions passes options to the repository client. Default: none.
func WithRepoOptions(opts ...repo.Option) Option {
	return func(o *options) { o.repoOpts = append(o.repoOpts, opts...) }
}

// WithLogger sets where packages whose changelog could not be read are
// reported. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithArch sets the Debian architecture of the index. Default: the image's
// platform (doc.Image.Platform), else the architecture of its first
// architecture-specific package, else amd64.
func WithArch(arch string) Option { return func(o *options) { o.arch = arch } }

// WithMaxDeb bounds the size of one .deb read for its changelog. Default
// 512 MiB.
func WithMaxDeb(n int64) Option { return func(o *options) { o.maxDeb = n } }
