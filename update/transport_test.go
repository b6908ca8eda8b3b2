package update

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestPinTransport(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.Method+" "+r.URL.Path]++
		n := hits[r.Method+" "+r.URL.Path]
		mu.Unlock()
		switch {
		case strings.Contains(r.URL.Path, "/missing/"):
			http.NotFound(w, r)
		case strings.HasSuffix(r.URL.Path, "/big"):
			w.Write(make([]byte, maxCached+10))
		default:
			io.WriteString(w, r.URL.Path+" answer "+strings.Repeat("x", n-1))
		}
	}))
	defer srv.Close()
	pt := newPinTransport(srv.Client().Transport, "/v2/golden/base/manifests/latest")
	c := &http.Client{Transport: pt}
	get := func(method, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		desc, method, path string
		upstream           int // requests that reach the registry for 3 asked
	}{
		{"version check", "GET", "/v2/", 1},
		{"manifest by digest", "GET", "/v2/apps/web/manifests/sha256:aa", 1},
		{"blob by digest", "HEAD", "/v2/golden/base/blobs/sha256:bb", 1},
		{"the new base's tag is pinned", "GET", "/v2/golden/base/manifests/latest", 1},
		{"another tag is not", "GET", "/v2/apps/web/manifests/1", 3},
		{"a missing blob is asked again", "HEAD", "/v2/apps/missing/blobs/sha256:cc", 3},
		{"a large blob is not kept", "GET", "/v2/apps/web/blobs/sha256:dd/big", 3},
		{"writes go through", "PUT", "/v2/apps/web/manifests/sha256:ee", 3},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			var first string
			for i := range 3 {
				code, body := get(tc.method, tc.path)
				if i == 0 {
					first = body
				} else if tc.upstream == 1 && (body != first || code != 200) {
					t.Errorf("answer %d = %d %q, want the first %q", i, code, body, first)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if got := hits[tc.method+" "+tc.path]; got != tc.upstream {
				t.Errorf("%d requests reached the registry, want %d", got, tc.upstream)
			}
		})
	}
}

// TestPinTransportCancelledPing: a version check whose own caller gave up
// (a prefetch stopped by Fleet) is not kept; the next one reaches the
// registry.
func TestPinTransportCancelledPing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	pt := newPinTransport(srv.Client().Transport, "/v2/golden/base/manifests/latest")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v2/", nil)
	if _, err := pt.RoundTrip(req); err == nil {
		t.Fatal("a cancelled request succeeded")
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/v2/", nil)
	resp, err := pt.RoundTrip(req)
	if err != nil {
		t.Fatalf("the check after a cancelled one failed: %v (the cancellation was kept)", err)
	}
	resp.Body.Close()
}

// TestPinTransportSeeded: a seeded document is answered (GET with its body,
// HEAD without) with its media type and digest, without the registry; a
// range request, another repository and a write still go to the registry.
func TestPinTransportSeeded(t *testing.T) {
	var mu sync.Mutex
	var upstream []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		upstream = append(upstream, r.Method+" "+r.URL.Path)
		mu.Unlock()
		io.WriteString(w, "from the registry")
	}))
	defer srv.Close()
	pt := newPinTransport(srv.Client().Transport, "/v2/golden/base/manifests/latest")
	const path = "/v2/apps/web/manifests/sha256:aa"
	pt.seed(path, "sha256:aa", "application/vnd.oci.image.manifest.v1+json", []byte(`{"schemaVersion":2}`))
	c := &http.Client{Transport: pt}
	do := func(method, p, rng string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+p, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := do(http.MethodGet, path, "")
	if body != `{"schemaVersion":2}` || resp.Header.Get("Content-Type") != "application/vnd.oci.image.manifest.v1+json" ||
		resp.Header.Get("Docker-Content-Digest") != "sha256:aa" || resp.ContentLength != int64(len(body)) {
		t.Errorf("GET seeded = %q, %v", body, resp.Header)
	}
	if resp, body := do(http.MethodHead, path, ""); body != "" || resp.ContentLength != 19 {
		t.Errorf("HEAD seeded = %q, length %d", body, resp.ContentLength)
	}
	if len(upstream) != 0 {
		t.Errorf("seeded answers reached the registry: %v", upstream)
	}
	do(http.MethodGet, path, "bytes=0-3")
	do(http.MethodGet, "/v2/apps/api/manifests/sha256:aa", "")
	do(http.MethodPut, path, "")
	if len(upstream) != 3 {
		t.Errorf("a range request, another repository and a write: %d reached the registry (%v), want 3", len(upstream), upstream)
	}
}
