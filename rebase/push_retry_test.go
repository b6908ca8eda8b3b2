package rebase

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// faultOnce answers 503 to the first attempt of each request (method and
// path), as an overloaded registry or proxy does.
func faultOnce() (handle func(http.ResponseWriter, *http.Request) bool, count func() int) {
	var mu sync.Mutex
	seen := map[string]bool{}
	n := 0
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/v2/" {
			return false
		}
		key := r.Method + " " + r.URL.Path
		mu.Lock()
		defer mu.Unlock()
		if seen[key] {
			return false
		}
		seen[key] = true
		n++
		http.Error(w, `{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}`, http.StatusServiceUnavailable)
		return true
	}, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func testPusherRetries(t *testing.T, reg *pushRegistry) {
	ctx := context.Background()
	t.Run("transient failures are retried", func(t *testing.T) {
		handle, faults := faultOnce()
		via := startProxy(t, reg.host, handle, nil)
		dst, _ := name.NewTag(via + "/apps/retried:1")
		img, blobs := reg.appImage(t, via, dst)
		p := NewPusher()
		p.backoff = time.Millisecond
		got, err := Write(ctx, dst, img, WithPusher(p), WithBlobs(blobs))
		if err != nil {
			t.Fatalf("with %d faults: %v", faults(), err)
		}
		if faults() == 0 {
			t.Fatal("no fault injected")
		}
		checkWritten(t, reg.host, dst, img, got)
	})
	t.Run("WithRetries(0) reports the first failure", func(t *testing.T) {
		handle, _ := faultOnce()
		via := startProxy(t, reg.host, handle, nil)
		dst, _ := name.NewTag(via + "/apps/failed:1")
		img, blobs := reg.appImage(t, via, dst)
		_, err := Write(ctx, dst, img, WithRetries(0), WithBlobs(blobs))
		var te *transport.Error
		if !errors.As(err, &te) || te.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("err = %v, want the registry's 503", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "rerun to retry") || !strings.Contains(msg, "apps/failed") {
			t.Errorf("error %q names neither the repository nor what to do", msg)
		}
	})
}
