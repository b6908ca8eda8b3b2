package image

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// PushOption configures Push.
type PushOption func(*pushOptions)

type pushOptions struct {
	keychain  authn.Keychain
	transport http.RoundTripper
	progress  chan<- v1.Update
	jobs      int
}

// WithKeychain sets where credentials come from. Default:
// authn.DefaultKeychain (the docker config file and its credential helpers).
func WithKeychain(k authn.Keychain) PushOption {
	return func(o *pushOptions) { o.keychain = k }
}

// WithTransport sets the HTTP transport. Default: remote.DefaultTransport.
func WithTransport(t http.RoundTripper) PushOption {
	return func(o *pushOptions) { o.transport = t }
}

// WithProgress sends upload progress to ch, which Push closes when done.
// Default: no progress.
func WithProgress(ch chan<- v1.Update) PushOption {
	return func(o *pushOptions) { o.progress = ch }
}

// WithJobs sets how many blobs are uploaded concurrently. Default: 4.
func WithJobs(n int) PushOption {
	return func(o *pushOptions) {
		if n > 0 {
			o.jobs = n
		}
	}
}

// Push uploads idx and everything it references to ref. Every layer, config
// and child manifest is written (by digest) before the index manifest is
// put under ref, so a failed push never leaves ref pointing at a
// half-written image.
func Push(ctx context.Context, ref name.Reference, idx v1.ImageIndex, opts ...PushOption) error {
	o := pushOptions{keychain: authn.DefaultKeychain, transport: remote.DefaultTransport, jobs: 4}
	for _, opt := range opts {
		opt(&o)
	}
	ropts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(o.keychain),
		remote.WithTransport(o.transport),
		remote.WithJobs(o.jobs),
		remote.WithUserAgent("ingot"),
	}
	if o.progress != nil {
		ropts = append(ropts, remote.WithProgress(o.progress))
	}
	if err := remote.WriteIndex(ref, idx, ropts...); err != nil {
		return fmt.Errorf("pushing %s: %w (%s was not updated; check the registry's address, credentials in the docker config, and retry)", ref, err, ref)
	}
	return nil
}
