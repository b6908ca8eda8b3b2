package rebase

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// RemoteOption configures Remote, Write, NewPusher and Undo.
type RemoteOption func(*remoteOptions)

type remoteOptions struct {
	remote   []remote.Option
	rt       http.RoundTripper
	keychain authn.Keychain
	retries  int
	pusher   *Pusher
	store    *inventory.Store
	sbom     bool
	baseDoc  func(ctx context.Context, img v1.Image) (*sbom.Document, error)
	appDoc   func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error)
	log      *slog.Logger
	blobs    *Blobs
}

func makeRemoteOptions(opts []RemoteOption) *remoteOptions {
	o := &remoteOptions{sbom: true, retries: 2, log: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(o)
	}
	if o.retries < 0 {
		o.retries = 0
	}
	if o.blobs == nil {
		o.blobs = NewBlobs()
	}
	return o
}

// readOptions are the go-containerregistry options of every read (and of
// the writes left to it): the caller's, then the transport, the keychain
// and the retry setting.
func (o *remoteOptions) readOptions() []remote.Option {
	opts := slices.Clone(o.remote)
	if o.rt != nil {
		opts = append(opts, remote.WithTransport(o.rt))
	}
	if o.keychain != nil {
		opts = append(opts, remote.WithAuthFromKeychain(o.keychain))
	}
	if o.retries == 0 {
		opts = append(opts, remote.WithRetryStatusCodes())
	}
	return opts
}

// WithRemoteOptions passes go-containerregistry options to every read and
// to the writes left to go-containerregistry (layers from another
// registry). They do not reach the Pusher's own requests: give
// auth and transport with WithKeychain and WithTransport, which reach both.
// Default: none.
func WithRemoteOptions(opts ...remote.Option) RemoteOption {
	return func(o *remoteOptions) { o.remote = append(o.remote, opts...) }
}

// WithTransport sets the HTTP transport of every registry request, reads
// (go-containerregistry's remote.WithTransport) and writes (the Pusher
// authenticates over it). Default: http.DefaultTransport.
func WithTransport(rt http.RoundTripper) RemoteOption {
	return func(o *remoteOptions) { o.rt = rt }
}

// WithKeychain sets where the credentials for each repository come from,
// for reads (remote.WithAuthFromKeychain) and writes. Default: anonymous,
// as in go-containerregistry; a library does not read a user's credentials
// unless asked (the CLI passes authn.DefaultKeychain).
func WithKeychain(k authn.Keychain) RemoteOption {
	return func(o *remoteOptions) { o.keychain = k }
}

// WithRetries sets how many times the Pusher repeats a request that failed
// transiently (429, 408, 502, 503, 504, or a refused, reset or broken
// connection), waiting 0.2 s, then 0.8 s, and so on. Its requests are all
// safe to repeat. 0 turns retries off, go-containerregistry's retries on
// those statuses included (remote.WithRetryStatusCodes()), so that every
// failure is seen. Default: 2 (three attempts).
func WithRetries(n int) RemoteOption { return func(o *remoteOptions) { o.retries = n } }

// WithPusher writes with p, shared across calls, so that a fleet keeps one
// authenticated transport per repository. Default: a new Pusher per call,
// from that call's options.
func WithPusher(p *Pusher) RemoteOption { return func(o *remoteOptions) { o.pusher = p } }

// WithInventory records the previous and the new image, their lineage and
// the tag's move in store, so that Undo can move the tag back. Default: no
// inventory.
func WithInventory(store *inventory.Store) RemoteOption {
	return func(o *remoteOptions) { o.store = store }
}

// WithSBOM composes and attaches the rebased images' SBOMs (SPDX and
// CycloneDX, see SBOM). Default: true.
func WithSBOM(on bool) RemoteOption { return func(o *remoteOptions) { o.sbom = on } }

// WithBaseSBOM supplies the new base's document for a platform image, so
// that a fleet rebase inspects each base once. Default: sbom.FromImage.
func WithBaseSBOM(f func(ctx context.Context, img v1.Image) (*sbom.Document, error)) RemoteOption {
	return func(o *remoteOptions) { o.baseDoc = f }
}

// WithAppSBOM supplies the app's current document for a platform image
// (named repo), e.g. from the inventory, instead of inspecting the image.
// Its layers must be the image's. Default: sbom.FromImage.
func WithAppSBOM(f func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error)) RemoteOption {
	return func(o *remoteOptions) { o.appDoc = f }
}

// WithBlobs shares what repositories are known to hold across rebases, so
// that a fleet mounts each blob into each repository once. Default: a new
// Blobs per Remote or Write call.
func WithBlobs(b *Blobs) RemoteOption { return func(o *remoteOptions) { o.blobs = b } }

// WithRemoteLogger logs progress at info level. Default: no logging.
func WithRemoteLogger(l *slog.Logger) RemoteOption {
	return func(o *remoteOptions) {
		if l != nil {
			o.log = l
		}
	}
}
