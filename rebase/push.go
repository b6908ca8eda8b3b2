package rebase

// This file is a registry writer written by hand over the distribution API,
// because go-containerregistry's writer costs a fleet rebase twice the
// requests it needs, with no option to avoid it: remote.WriteLayer checks
// that a blob exists (HEAD) before every cross-repository mount, and uploads
// a config in three requests (POST, PATCH, PUT) after a HEAD. Here a mount is
// one POST, a config a monolithic upload (one POST with the body, plus the
// PUT that registries without single-POST uploads ask for), and a manifest
// one PUT. go-containerregistry still does everything else: its
// authenticated transport (ping, token exchange, signing), its error type,
// every read, and the fallbacks (a layer from another registry, or from no
// registry at all, goes through remote.WriteLayer).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Pusher writes blobs and manifests to registries for Write and Remote. It
// keeps one authenticated transport per repository (push and pull on it,
// pull on the repositories it mounts from), so that a fleet sharing one
// Pusher (WithPusher) pings and exchanges tokens once per repository. It is
// safe for concurrent use.
type Pusher struct {
	rt       http.RoundTripper
	keychain authn.Keychain
	retries  int
	backoff  time.Duration
	fallback []remote.Option // go-containerregistry's, for remote.WriteLayer

	mu         sync.Mutex
	transports map[string]*repoTransport
}

type repoTransport struct {
	mu      sync.Mutex
	rt      http.RoundTripper // nil until made; an error is not kept
	sources []string          // the repositories (paths in the registry) rt may mount from
}

// NewPusher returns a Pusher configured by the options that concern
// writing: WithTransport, WithKeychain, WithRetries and WithRemoteOptions
// (for the fallbacks to go-containerregistry). Others are ignored.
func NewPusher(opts ...RemoteOption) *Pusher {
	return newPusher(makeRemoteOptions(opts))
}

func newPusher(o *remoteOptions) *Pusher {
	p := &Pusher{
		rt:         o.rt,
		keychain:   o.keychain,
		retries:    o.retries,
		backoff:    200 * time.Millisecond,
		fallback:   o.readOptions(),
		transports: map[string]*repoTransport{},
	}
	if p.rt == nil {
		p.rt = http.DefaultTransport
	}
	if p.keychain == nil {
		p.keychain = anonymous{}
	}
	return p
}

// anonymous is the keychain of WithKeychain's default.
type anonymous struct{}

func (anonymous) Resolve(authn.Resource) (authn.Authenticator, error) { return authn.Anonymous, nil }

// transport returns the authenticated transport for pushing to repo and
// mounting from sources (repositories of the same registry). One is kept
// per repository; it is made again, with more scopes, only when a write
// mounts from a repository it was not made for.
func (p *Pusher) transport(ctx context.Context, repo name.Repository, sources []name.Repository) (http.RoundTripper, error) {
	p.mu.Lock()
	e := p.transports[repo.Name()]
	if e == nil {
		e = &repoTransport{}
		p.transports[repo.Name()] = e
	}
	p.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	want := slices.Clone(e.sources)
	for _, s := range sources {
		if !slices.Contains(want, s.RepositoryStr()) {
			want = append(want, s.RepositoryStr())
		}
	}
	if e.rt != nil && len(want) == len(e.sources) {
		return e.rt, nil
	}
	scopes := []string{repo.Scope(transport.PushScope)}
	for _, s := range want {
		scopes = append(scopes, repo.Registry.Repo(s).Scope(transport.PullScope))
	}
	auth, err := p.keychain.Resolve(repo)
	if err != nil {
		return nil, fmt.Errorf("finding credentials for %s: %w", repo, err)
	}
	rt, err := transport.NewWithContext(ctx, repo.Registry, auth, p.rt, scopes)
	if err != nil {
		return nil, fmt.Errorf("authenticating to %s for pushing to %s (check the registry's address and your credentials; rerun to retry): %w", repo.RegistryStr(), repo, err)
	}
	e.rt, e.sources = rt, want
	return rt, nil
}

// retry runs op up to 1+p.retries times while it fails transiently. Each
// request is retried on its own: a failed PUT of an upload goes again to
// the same session, which a failure before the registry leaves open.
func (p *Pusher) retry(ctx context.Context, op func() error) error {
	delay := p.backoff
	for attempt := 0; ; attempt++ {
		err := op()
		if err == nil || attempt >= p.retries || !transient(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay *= 4
	}
}

// transient reports whether err is worth another attempt: the registry (or
// a proxy) is overloaded or restarting, or a kept-alive connection broke.
// Every request the Pusher makes is safe to repeat: a mount or an upload of
// content-addressed data, a manifest PUT of the same bytes.
func transient(err error) bool {
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	var re *roundTripError
	return errors.As(err, &re) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// roundTripError is a request that got no answer: a refused, reset or
// broken connection (the registry restarting, a kept-alive connection
// closed by the server).
type roundTripError struct{ err error }

func (e *roundTripError) Error() string { return e.err.Error() }
func (e *roundTripError) Unwrap() error { return e.err }

func blobURL(repo name.Repository, query url.Values) *url.URL {
	return &url.URL{
		Scheme:   repo.Scheme(),
		Host:     repo.RegistryStr(),
		Path:     "/v2/" + repo.RepositoryStr() + "/blobs/uploads/",
		RawQuery: query.Encode(),
	}
}

// send sends one request, again while it fails transiently (see retry),
// and returns the response if its status is one of want; otherwise it
// closes it and returns the registry's error. body opens the request's
// body anew for each attempt; nil: no body.
func (p *Pusher) send(ctx context.Context, rt http.RoundTripper, method string, u *url.URL, body func() (io.ReadCloser, error), size int64, contentType string, want ...int) (*http.Response, error) {
	var resp *http.Response
	err := p.retry(ctx, func() error {
		req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
		if err != nil {
			return err
		}
		if body != nil {
			rc, err := body()
			if err != nil {
				return err
			}
			req.Body, req.ContentLength = rc, size
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		r, err := rt.RoundTrip(req)
		if err != nil {
			return &roundTripError{err}
		}
		if err := transport.CheckError(r, want...); err != nil {
			drain(r)
			return err
		}
		resp = r
		return nil
	})
	return resp, err
}

func bytesBody(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}

// drain reads what is left of a response (so that its connection is kept)
// and closes it.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// location resolves the Location of an upload session, relative to the
// request that opened it, and adds the digest the upload completes with.
func location(resp *http.Response, base *url.URL, h v1.Hash) (*url.URL, error) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, fmt.Errorf("the registry opened an upload (%s) without a Location", resp.Status)
	}
	u, err := base.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("parsing the upload Location %q: %w", loc, err)
	}
	q := u.Query()
	q.Set("digest", h.String())
	u.RawQuery = q.Encode()
	return u, nil
}

// mount makes repo hold layer l (digest h), which repository from of the
// same registry holds: one POST asking the registry to mount it. A registry
// that cannot (from lacks the blob, or it does not mount) opens an upload
// instead; l is then streamed into it.
func (p *Pusher) mount(ctx context.Context, rt http.RoundTripper, repo, from name.Repository, h v1.Hash, l v1.Layer) error {
	u := blobURL(repo, url.Values{"mount": {h.String()}, "from": {from.RepositoryStr()}})
	resp, err := p.send(ctx, rt, http.MethodPost, u, nil, 0, "", http.StatusCreated, http.StatusAccepted)
	if err != nil {
		return err
	}
	drain(resp)
	if resp.StatusCode == http.StatusCreated {
		return nil
	}
	put, err := location(resp, u, h)
	if err != nil {
		return err
	}
	size, err := l.Size()
	if err != nil {
		return err
	}
	open := func() (io.ReadCloser, error) {
		rc, err := l.Compressed()
		if err != nil {
			return nil, fmt.Errorf("reading the layer to upload it (the registry could not mount it from %s): %w", from, err)
		}
		return rc, nil
	}
	if resp, err = p.send(ctx, rt, http.MethodPut, put, open, size, "application/octet-stream", http.StatusCreated); err != nil {
		return err
	}
	drain(resp)
	return nil
}

// upload puts a small blob (a config) into repo with a monolithic upload:
// a POST carrying the blob, which completes it on a registry that supports
// that (201), else opens an upload (202) that one PUT of the blob completes.
func (p *Pusher) upload(ctx context.Context, rt http.RoundTripper, repo name.Repository, h v1.Hash, data []byte) error {
	u := blobURL(repo, url.Values{"digest": {h.String()}})
	const ct = "application/octet-stream"
	resp, err := p.send(ctx, rt, http.MethodPost, u, bytesBody(data), int64(len(data)), ct, http.StatusCreated, http.StatusAccepted)
	if err != nil {
		return err
	}
	drain(resp)
	if resp.StatusCode == http.StatusCreated {
		return nil
	}
	put, err := location(resp, u, h)
	if err != nil {
		return err
	}
	if resp, err = p.send(ctx, rt, http.MethodPut, put, bytesBody(data), int64(len(data)), ct, http.StatusCreated); err != nil {
		return err
	}
	drain(resp)
	return nil
}

// putManifest puts raw (of media type mt, digest h) to ref: one PUT. The
// registry checks that every blob and manifest it refers to exists. It
// returns the headers of the registry's answer (OCI-Subject, for one).
func (p *Pusher) putManifest(ctx context.Context, ref name.Reference, mt types.MediaType, h v1.Hash, raw []byte) (http.Header, error) {
	repo := ref.Context()
	rt, err := p.transport(ctx, repo, nil)
	if err != nil {
		return nil, err
	}
	u := &url.URL{Scheme: repo.Scheme(), Host: repo.RegistryStr(), Path: "/v2/" + repo.RepositoryStr() + "/manifests/" + ref.Identifier()}
	resp, err := p.send(ctx, rt, http.MethodPut, u, bytesBody(raw), int64(len(raw)), string(mt), http.StatusOK, http.StatusCreated, http.StatusAccepted)
	if err != nil {
		return nil, err
	}
	drain(resp)
	if got := resp.Header.Get("Docker-Content-Digest"); got != "" && got != h.String() {
		return nil, fmt.Errorf("the registry stored the manifest as %s, not %s", got, h)
	}
	return resp.Header, nil
}
