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

	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestPushOrder checks go-containerregistry's ordering that Push relies on:
// the tag's manifest PUT starts only after every blob upload and every child
// manifest PUT has been answered.
func TestPushOrder(t *testing.T) {
	host := testenv.StartRegistry(t)
	target, _ := url.Parse("http://" + host)
	proxy := httputil.NewSingleHostReverseProxy(target)

	type event struct {
		req   string
		start bool
	}
	var (
		mu     sync.Mutex
		events []event
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			proxy.ServeHTTP(w, r)
			return
		}
		req := r.Method + " " + r.URL.Path
		mu.Lock()
		events = append(events, event{req, true})
		mu.Unlock()
		proxy.ServeHTTP(w, r)
		mu.Lock()
		events = append(events, event{req, false})
		mu.Unlock()
	}))
	defer srv.Close()

	ref, _ := name.ParseReference(strings.TrimPrefix(srv.URL, "http://") + "/golden/order:1")
	if err := Push(context.Background(), ref, randomIndex(t)); err != nil {
		t.Fatal(err)
	}
	tagPut := "PUT /v2/golden/order/manifests/1"
	tagStart, blobs, children := -1, 0, 0
	for i, e := range events {
		switch {
		case e.req == tagPut && e.start:
			tagStart = i
		case e.req != tagPut && !e.start:
			if tagStart >= 0 {
				t.Errorf("%s answered after the tag PUT started", e.req)
			}
			if strings.Contains(e.req, "/blobs/uploads/") {
				blobs++
			}
			if strings.Contains(e.req, "/manifests/sha256:") {
				children++
			}
		}
	}
	if tagStart < 0 {
		t.Fatalf("no %s among %v", tagPut, events)
	}
	// 2 images × (2 layers + config) blobs, and 2 child manifests.
	if blobs != 6 || children != 2 {
		t.Errorf("saw %d blob uploads and %d child manifest PUTs before the tag, want 6 and 2", blobs, children)
	}
}
