package update

import (
	"log/slog"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/inventory"
)

// Option configures Refresh, Targets and Fleet.
type Option func(*options)

type options struct {
	log      *slog.Logger
	cache    *fetch.Cache
	repoOpts []repo.Option
	system   func() (repo.Source, error)
	cves     bool
	jobs     int
	remote   []remote.Option
	store    *inventory.Store
	sbom     bool
	dryRun   bool
	progress func(Result)
	rt       http.RoundTripper
	keychain authn.Keychain
	prefetch *Prefetch
	retries  int
}

func makeOptions(opts []Option) *options {
	o := &options{
		log:     slog.New(slog.DiscardHandler),
		system:  repo.SystemSource,
		cves:    true,
		jobs:    16,
		sbom:    true,
		retries: 2,
	}
	for _, f := range opts {
		f(o)
	}
	if o.jobs < 1 {
		o.jobs = 1
	}
	return o
}

// WithLogger sets where progress and skipped work are reported. Default:
// discard.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// WithCache sets the download cache for indexes and .debs (Refresh).
// Default: a cache in fetch.DefaultDir().
func WithCache(c *fetch.Cache) Option { return func(o *options) { o.cache = c } }

// WithRepoOptions passes options to the repository client (Refresh).
// Default: none.
func WithRepoOptions(opts ...repo.Option) Option {
	return func(o *options) { o.repoOpts = append(o.repoOpts, opts...) }
}

// WithSystemSource sets where the parts of the Debian source a spec leaves
// open come from (Refresh). Default: repo.SystemSource, the machine's apt
// configuration with INGOT_MIRROR and INGOT_SECURITY_MIRROR.
func WithSystemSource(f func() (repo.Source, error)) Option {
	return func(o *options) { o.system = f }
}

// WithCVEs sets whether Refresh reads the newer packages' changelogs for the
// CVEs the update closes (one .deb download per changed source package).
// Default: true.
func WithCVEs(on bool) Option { return func(o *options) { o.cves = on } }

// WithJobs bounds how many images Fleet rebases at once. Default: 16
// (bench/rebase.sh: 8 leaves a local registry idle between requests).
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithRemoteOptions passes go-containerregistry options (auth, transport)
// to every registry call of Fleet. Default: none.
func WithRemoteOptions(opts ...remote.Option) Option {
	return func(o *options) { o.remote = append(o.remote, opts...) }
}

// WithTransport sets the HTTP transport of Fleet's registry calls; Fleet
// decorates it to read each base once (see pinTransport). Default:
// http.DefaultTransport.
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.rt = rt } }

// WithKeychain sets where Fleet's registry credentials come from, for
// reads and writes (see rebase.WithKeychain). Default: anonymous.
func WithKeychain(k authn.Keychain) Option { return func(o *options) { o.keychain = k } }

// WithRetries sets how many times Fleet repeats a registry request that
// failed transiently (see rebase.WithRetries); 0 turns retries off, reads
// included, so that every failure reaches the report. Default: 2.
func WithRetries(n int) Option { return func(o *options) { o.retries = n } }

// WithInventory records every rebased image, and the move of its tag, in
// store (Fleet). Default: no inventory.
func WithInventory(store *inventory.Store) Option { return func(o *options) { o.store = store } }

// WithSBOM sets whether Fleet composes and attaches the rebased images'
// SBOMs (see rebase.WithSBOM). Default: true.
func WithSBOM(on bool) Option { return func(o *options) { o.sbom = on } }

// WithDryRun makes Fleet plan every rebase and write nothing. Default: false.
func WithDryRun(on bool) Option { return func(o *options) { o.dryRun = on } }

// WithProgress calls f after each image of Fleet, from Fleet's goroutines
// one at a time. Default: none.
func WithProgress(f func(Result)) Option { return func(o *options) { o.progress = f } }

// WithPrefetch makes Fleet use what p read ahead (see Prefetch); Fleet
// stops p first. p must have been made for the same new base reference.
// Default: none.
func WithPrefetch(p *Prefetch) Option { return func(o *options) { o.prefetch = p } }
