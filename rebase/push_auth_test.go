package rebase

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// tokenProxy stands for a registry that demands bearer tokens: it serves
// the token endpoint itself (user "ci", password "secret" only) and
// forwards requests carrying a token it issued to docker-registry.
type tokenProxy struct {
	host   string
	mu     sync.Mutex
	scopes []string // scopes of the tokens issued
	bad    []string // requests refused for want of a token
}

func startTokenProxy(t *testing.T, registry string) *tokenProxy {
	t.Helper()
	tp := &tokenProxy{}
	const token = "token-for-ci"
	tp.host = startProxy(t, registry, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/token" {
			if u, p, ok := r.BasicAuth(); !ok || u != "ci" || p != "secret" {
				http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}`, http.StatusUnauthorized)
				return true
			}
			tp.mu.Lock()
			tp.scopes = append(tp.scopes, r.URL.Query()["scope"]...)
			tp.mu.Unlock()
			fmt.Fprintf(w, `{"token":%q}`, token)
			return true
		}
		if r.Header.Get("Authorization") == "Bearer "+token {
			return false
		}
		if r.URL.Path != "/v2/" {
			tp.mu.Lock()
			tp.bad = append(tp.bad, r.Method+" "+r.URL.Path)
			tp.mu.Unlock()
		}
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="http://%s/token",service="test-registry"`, r.Host))
		http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}`, http.StatusUnauthorized)
		return true
	}, nil)
	return tp
}

// keychain is a static keychain: one user for every registry.
type keychain struct{ user, password string }

func (k keychain) Resolve(authn.Resource) (authn.Authenticator, error) {
	return &authn.Basic{Username: k.user, Password: k.password}, nil
}

func testPusherBearerAuth(t *testing.T, reg *pushRegistry) {
	ctx := context.Background()
	tp := startTokenProxy(t, reg.host)
	kc := keychain{"ci", "secret"}
	dst, _ := name.NewTag(tp.host + "/apps/authed:1")
	img, blobs := reg.appImage(t, tp.host, dst)
	got, err := Write(ctx, dst, img, WithKeychain(kc), WithBlobs(blobs))
	if err != nil {
		t.Fatal(err)
	}
	checkWritten(t, reg.host, dst, img, got)
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if len(tp.bad) > 0 {
		t.Errorf("requests without the token: %q", tp.bad)
	}
	for _, want := range []string{"repository:apps/authed:push,pull", "repository:golden/base:pull"} {
		if !strings.Contains(strings.Join(tp.scopes, " "), want) {
			t.Errorf("token scopes %q, want %s", tp.scopes, want)
		}
	}

	t.Run("without credentials the error says so", func(t *testing.T) {
		dst, _ := name.NewTag(tp.host + "/apps/anonymous:1")
		_, err := Write(ctx, dst, img, WithBlobs(blobs))
		if err == nil || !strings.Contains(err.Error(), "credentials") {
			t.Fatalf("err = %v, want an authentication error", err)
		}
	})
}
