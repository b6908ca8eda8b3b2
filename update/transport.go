package update

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// maxCached bounds one cached response body: manifests and configs, never
// layers.
const maxCached = 1 << 20

// pinTransport decorates a registry transport for one fleet rebase, in which
// every image reads the same bases: it answers again, from memory, what
// cannot change while the fleet runs, so that a thousand rebases read each
// base once.
//
//   - GET and HEAD of manifests and blobs by digest (content-addressed), when
//     the answer was 200 and at most maxCached bytes;
//   - the registry's version check (GET /v2/), per scheme and host, including
//     a failed attempt over HTTPS to a plain-HTTP registry;
//   - GET and HEAD of the new base's tag: the fleet is pinned to the build
//     the tag named when the fleet first read it, even if it moves meanwhile.
//
// Nothing else is cached: writes, tags of the images being rebased, and
// answers other than 200 (a blob missing before an upload). Documents the
// inventory holds can be seeded (seed): those never reach the registry.
type pinTransport struct {
	next http.RoundTripper
	pin  string // the new base's tag manifest path: "/v2/golden/base/manifests/latest"

	mu    sync.Mutex
	cache map[string]*cachedResponse
	known map[string]knownDocument // by request path; see seed
}

// knownDocument is a manifest, an index or a config the inventory already
// had (Prefetch), answered without asking the registry.
type knownDocument struct {
	digest, mediaType string
	body              []byte
}

type cachedResponse struct {
	once   sync.Once
	status int
	header http.Header
	body   []byte
	err    error
	keep   bool // false: not cacheable after all; go to the network
}

func newPinTransport(next http.RoundTripper, pinPath string) *pinTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &pinTransport{next: next, pin: pinPath, cache: map[string]*cachedResponse{}, known: map[string]knownDocument{}}
}

// seed makes GET and HEAD of path (".../manifests/sha256:..." or
// ".../blobs/sha256:...") answer body, a document the inventory holds and
// checked against its digest. Content-addressed, so the registry's host
// and scheme do not matter; the repository does (it is in path), since a
// registry answers only for what is in the repository.
func (p *pinTransport) seed(path, digest, mediaType string, body []byte) {
	p.mu.Lock()
	p.known[path] = knownDocument{digest: digest, mediaType: mediaType, body: body}
	p.mu.Unlock()
}

// answerKnown answers r from the seeded documents, if it can.
func (p *pinTransport) answerKnown(r *http.Request) (*http.Response, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.Header.Get("Range") != "" {
		return nil, false
	}
	p.mu.Lock()
	d, ok := p.known[r.URL.Path]
	p.mu.Unlock()
	if !ok {
		return nil, false
	}
	h := http.Header{}
	h.Set("Content-Type", d.mediaType)
	h.Set("Docker-Content-Digest", d.digest)
	h.Set("Content-Length", strconv.Itoa(len(d.body)))
	body := d.body
	if r.Method == http.MethodHead {
		body = nil
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(d.body)), Request: r,
	}, true
}

func (p *pinTransport) cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	path := r.URL.Path
	return path == "/v2/" || path == p.pin ||
		strings.Contains(path, "/manifests/sha256:") || strings.Contains(path, "/blobs/sha256:")
}

func (p *pinTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if resp, ok := p.answerKnown(r); ok {
		return resp, nil
	}
	if !p.cacheable(r) {
		return p.next.RoundTrip(r)
	}
	key := r.Method + " " + r.URL.String() + " " + r.Header.Get("Accept") + " " + r.Header.Get("Range")
	p.mu.Lock()
	c := p.cache[key]
	if c == nil {
		c = &cachedResponse{}
		p.cache[key] = c
	}
	p.mu.Unlock()
	first := false
	var firstResp *http.Response
	c.once.Do(func() {
		first = true
		resp, err := p.next.RoundTrip(r)
		switch {
		case err != nil:
			// Only the version check's failure is kept (HTTPS tried
			// first on a plain-HTTP registry); anything else may pass,
			// and so may a check its own caller cancelled (a prefetch
			// stopped by Fleet) or timed out.
			c.err, c.keep = err, r.URL.Path == "/v2/" && r.Context().Err() == nil
			firstResp = nil
		case resp.StatusCode != http.StatusOK && r.URL.Path != "/v2/",
			resp.ContentLength > maxCached:
			firstResp = resp
		default:
			body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxCached+1))
			if rerr != nil {
				resp.Body.Close()
				c.err = rerr
				return
			}
			if len(body) > maxCached { // too large to keep: hand it on whole
				resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
				firstResp = resp
				return
			}
			resp.Body.Close()
			c.status, c.header, c.body, c.keep = resp.StatusCode, resp.Header.Clone(), body, true
		}
	})
	if first && !c.keep {
		p.mu.Lock()
		delete(p.cache, key) // the next request goes to the network again
		p.mu.Unlock()
		if firstResp != nil || c.err != nil {
			return firstResp, c.err
		}
	}
	if !c.keep {
		return p.next.RoundTrip(r) // another request's answer was not kept
	}
	if c.err != nil {
		return nil, c.err
	}
	return &http.Response{
		Status: http.StatusText(c.status), StatusCode: c.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: c.header.Clone(), Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)),
		Request: r,
	}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
