package image

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestPushRegistryDies stops the registry's front door in the middle of a
// push (at the first child manifest): the push fails with an error naming
// the reference, and the tag was never written.
func TestPushRegistryDies(t *testing.T) {
	host := testenv.StartRegistry(t)
	target, _ := url.Parse("http://" + host)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var die sync.Once
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/") {
			die.Do(func() { srv.Listener.Close() }) // no new connections from now on
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close() // and this one is cut
					return
				}
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ref, _ := name.ParseReference(strings.TrimPrefix(srv.URL, "http://") + "/golden/dies:1")
	err := Push(context.Background(), ref, randomIndex(t), WithJobs(1))
	if err == nil {
		t.Fatal("push to a registry that died succeeded")
	}
	if !strings.Contains(err.Error(), "pushing "+ref.String()) || !strings.Contains(err.Error(), "was not updated") {
		t.Errorf("error %q should name %s and say it was not updated", err, ref)
	}
	direct, _ := name.ParseReference(host + "/golden/dies:1")
	d, err := remote.Head(direct)
	if err == nil {
		t.Fatalf("tag %s exists (%s) after the registry died mid-push", direct, d.Digest)
	}
	var terr *transport.Error
	if !asTransportError(err, &terr) || terr.StatusCode != http.StatusNotFound {
		t.Errorf("HEAD %s: %v, want 404", direct, err)
	}
}
