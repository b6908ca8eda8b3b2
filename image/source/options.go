package source

import (
	"log/slog"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
)

// Option configures how a reference is opened.
type Option func(*options)

type options struct {
	insecure  bool
	keychain  authn.Keychain
	transport http.RoundTripper
	logger    *slog.Logger
}

func makeOptions(opts []Option) options {
	o := options{
		keychain:  authn.DefaultKeychain,
		transport: http.DefaultTransport,
		logger:    slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithInsecure allows plain HTTP (and unverified TLS) to the registry named in
// the reference. Default: false (loopback and RFC 1918 hosts such as
// 127.0.0.1:5000 and localhost:5000 use plain HTTP anyway, as go-containerregistry does).
func WithInsecure(insecure bool) Option { return func(o *options) { o.insecure = insecure } }

// WithKeychain sets the registry credentials. Default: authn.DefaultKeychain
// (docker config and credential helpers).
func WithKeychain(k authn.Keychain) Option { return func(o *options) { o.keychain = k } }

// WithTransport sets the HTTP transport for registries. Default: http.DefaultTransport.
func WithTransport(t http.RoundTripper) Option { return func(o *options) { o.transport = t } }

// WithLogger sets the logger for what was opened. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }
