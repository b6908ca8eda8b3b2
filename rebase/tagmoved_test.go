package rebase

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// pushDuring is a transport that, at the first manifest written by digest,
// pushes another image to a tag, as a CI job pushing a new app version
// while the rebase runs would.
type pushDuring struct {
	next http.RoundTripper
	push func()
	once sync.Once
}

func (p *pushDuring) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/sha256:") {
		p.once.Do(p.push)
	}
	return p.next.RoundTrip(r)
}

// TestRegistryTagMovedDuringRebase: with SBOMs, the rebased manifests are
// written by digest, the SBOMs attached, and the tag moved last. A push to
// the tag in between is not overwritten: Remote fails with ErrTagMoved and
// the tag keeps what was pushed.
func TestRegistryTagMovedDuringRebase(t *testing.T) {
	f := startFleet(t)
	ctx := context.Background()
	tag, _ := name.NewTag(f.webIndex)
	onto, _ := name.ParseReference(f.base2)
	var pushed string
	rt := &pushDuring{next: http.DefaultTransport, push: func() {
		if err := remote.Write(tag, f.api); err != nil {
			t.Errorf("pushing to %s during the rebase: %v", tag, err)
		}
		d, _ := f.api.Digest()
		pushed = d.String()
	}}
	out, err := Remote(ctx, Request{Image: tag, NewBase: onto}, WithTransport(rt))
	if !errors.Is(err, ErrTagMoved) {
		t.Fatalf("Remote = %+v, %v; want ErrTagMoved", out, err)
	}
	if pushed == "" {
		t.Fatal("nothing was pushed during the rebase: the test did not test")
	}
	if !strings.Contains(err.Error(), pushed) || !strings.Contains(err.Error(), "rerun") {
		t.Errorf("the error does not name what the tag names now (%s) and what to do: %v", pushed, err)
	}
	if d, err := remote.Head(tag); err != nil || d.Digest.String() != pushed {
		t.Errorf("%s names %v (%v), want the image pushed meanwhile, %s", tag, d, err, pushed)
	}
}
