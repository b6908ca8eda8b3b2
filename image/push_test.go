package image

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// randomIndex assembles an amd64+arm64 index from random layers.
func randomIndex(t *testing.T) v1.ImageIndex {
	t.Helper()
	var imgs []v1.Image
	for _, arch := range []string{"amd64", "arm64"} {
		var layers []LayerInfo
		for i, n := range []string{"os", "runtime"} {
			l, err := random.Layer(int64(1024*(i+1)), types.OCILayer)
			if err != nil {
				t.Fatal(err)
			}
			layers = append(layers, LayerInfo{Layer: l, Name: n, Owner: "platform"})
		}
		p, _ := PlatformFor(arch)
		img, err := Assemble(p, layers, testConfig(), epoch, testAnnotations())
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	idx, err := Index(imgs, testAnnotations())
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func TestPush(t *testing.T) {
	host := testenv.StartRegistry(t)
	ctx := context.Background()
	ref, err := name.ParseReference(host + "/golden/base:1")
	if err != nil {
		t.Fatal(err)
	}
	idx := randomIndex(t)
	updates := make(chan v1.Update, 1000)
	if err := Push(ctx, ref, idx, WithKeychain(authn.NewMultiKeychain()), WithProgress(updates)); err != nil {
		t.Fatal(err)
	}
	var last v1.Update
	for u := range updates { // closed by Push
		last = u
	}
	if last.Total == 0 || last.Complete != last.Total {
		t.Errorf("last progress update %+v, want complete", last)
	}

	got, err := remote.Index(ref, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := idx.Digest()
	if d, _ := got.Digest(); d != want {
		t.Errorf("registry serves index %s, pushed %s", d, want)
	}
	if err := validate.Index(got); err != nil {
		t.Errorf("validate.Index of the pulled index: %v", err)
	}
	wm, _ := idx.IndexManifest()
	gm, _ := got.IndexManifest()
	for i := range wm.Manifests {
		if gm.Manifests[i].Digest != wm.Manifests[i].Digest {
			t.Errorf("child %d: registry %s, pushed %s", i, gm.Manifests[i].Digest, wm.Manifests[i].Digest)
		}
	}
	lin, err := ReadLineage(mustChild(t, got, 1))
	if err != nil || len(lin.Layers) != 2 {
		t.Errorf("lineage from the registry: %+v, %v", lin, err)
	}
	// Pushing again is a no-op that succeeds.
	if err := Push(ctx, ref, idx); err != nil {
		t.Errorf("second push: %v", err)
	}
}

// TestPushRefused checks that a registry refusing part of a push leaves the
// tag where it was: absent, or on the previous image.
func TestPushRefused(t *testing.T) {
	host := testenv.StartRegistry(t)
	ctx := context.Background()
	target, _ := url.Parse("http://" + host)

	tests := []struct {
		desc   string
		refuse func(r *http.Request) bool
	}{
		{"child manifest PUT", func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/sha256:")
		}},
		{"second blob upload", func() func(r *http.Request) bool {
			var n atomic.Int32
			return func(r *http.Request) bool {
				return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/blobs/uploads/") && n.Add(1) >= 2
			}
		}()},
	}
	for i, tt := range tests {
		for _, previous := range []bool{false, true} {
			desc := tt.desc + map[bool]string{false: ", new tag", true: ", existing tag"}[previous]
			t.Run(desc, func(t *testing.T) {
				var refused atomic.Int32
				proxy := httputil.NewSingleHostReverseProxy(target)
				proxy.ErrorLog = log.New(io.Discard, "", 0) // aborted uploads are expected here
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tt.refuse(r) {
						refused.Add(1)
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusForbidden)
						_, _ = w.Write([]byte(`{"errors":[{"code":"DENIED","message":"quota exceeded"}]}`))
						return
					}
					proxy.ServeHTTP(w, r)
				}))
				defer srv.Close()

				repo := "golden/refused" + string(rune('a'+i))
				if previous {
					repo += "-prev"
				}
				direct, _ := name.ParseReference(host + "/" + repo + ":1")
				var before v1.Hash
				if previous {
					old := randomIndex(t)
					if err := Push(ctx, direct, old); err != nil {
						t.Fatal(err)
					}
					before, _ = old.Digest()
				}

				viaProxy, _ := name.ParseReference(strings.TrimPrefix(srv.URL, "http://") + "/" + repo + ":1")
				err := Push(ctx, viaProxy, randomIndex(t))
				if err == nil {
					t.Fatal("push through a refusing registry succeeded")
				}
				if refused.Load() == 0 {
					t.Fatal("the proxy refused nothing: the test did not exercise the fault")
				}
				msg := err.Error()
				if !strings.Contains(msg, viaProxy.String()) || !strings.Contains(msg, "quota exceeded") {
					t.Errorf("error %q should name %s and the registry's reason", msg, viaProxy)
				}
				var terr *transport.Error
				if !asTransportError(err, &terr) || terr.StatusCode != http.StatusForbidden {
					t.Errorf("error %v does not wrap the registry's 403", err)
				}

				d, err := remote.Head(direct, remote.WithContext(ctx))
				if !previous {
					if err == nil {
						t.Fatalf("tag %s exists (%s) after a failed push", direct, d.Digest)
					}
					var herr *transport.Error
					if !asTransportError(err, &herr) || herr.StatusCode != http.StatusNotFound {
						t.Errorf("HEAD %s: %v, want 404", direct, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.Digest != before {
					t.Errorf("tag moved to %s after a failed push, want the previous %s", d.Digest, before)
				}
			})
		}
	}
}
