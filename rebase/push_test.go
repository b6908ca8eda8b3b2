package rebase

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/internal/testenv"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// pushRegistry is one real docker-registry shared by the Pusher tests:
// golden/base:1 holds a base image whose layers the tests mount.
type pushRegistry struct {
	host string
	base v1.Image
}

// startPushRegistry starts the registry TestPusher's parts share.
func startPushRegistry(t *testing.T) *pushRegistry {
	t.Helper()
	host := testenv.StartRegistry(t)
	base := golden(t, "base", "amd64", 1)
	ref, _ := name.ParseReference(host + "/golden/base:1")
	if err := remote.Write(ref, base); err != nil {
		t.Fatal(err)
	}
	return &pushRegistry{host: host, base: base}
}

// appImage is an image of the base's layers, mountable from golden/base
// on via (a host standing for the registry), and one layer of its own, in
// memory. That layer is uploaded to dst's repository beforehand (as a build
// would have), and the Blobs returned know it is there: the requests the
// tests see are the Pusher's alone.
func (reg *pushRegistry) appImage(t *testing.T, via string, dst name.Reference) (v1.Image, *Blobs) {
	t.Helper()
	from, _ := name.ParseReference(via + "/golden/base:1")
	bl, err := reg.base.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var adds []mutate.Addendum
	for _, l := range bl {
		adds = append(adds, mutate.Addendum{Layer: &remote.MountableLayer{Layer: l, Reference: from}})
	}
	l := imagetest.FilesLayer(t, map[string]string{"app/" + t.Name(): t.Name()})
	// OCI, so that docker-registry accepts a non-distributable layer.
	oci := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.Append(oci, append(adds, mutate.Addendum{Layer: l})...)
	if err != nil {
		t.Fatal(err)
	}
	direct, _ := name.NewRepository(reg.host + "/" + dst.Context().RepositoryStr())
	if err := remote.WriteLayer(direct, l); err != nil {
		t.Fatal(err)
	}
	blobs := NewBlobs()
	h, _ := l.Digest()
	blobs.add(dst.Context(), h)
	return img, blobs
}

// recorder is a transport that records the requests that pass but pings,
// with the status of their answer.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []string // "POST blobs/uploads?mount 201"
}

var kindRe = regexp.MustCompile(`^/v2/.+/(manifests|blobs/uploads|blobs)/(.*)$`)

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if req.URL.Path == "/v2/" {
		return resp, err // pings, over HTTPS first: the transport's business
	}
	kind := req.URL.Path
	if m := kindRe.FindStringSubmatch(req.URL.Path); m != nil {
		kind = m[1]
		switch {
		case req.URL.Query().Get("mount") != "":
			kind += "?mount"
		case m[1] == "manifests" && !strings.HasPrefix(m[2], "sha256:"):
			kind += ":tag"
		}
	}
	status := "error"
	if err == nil {
		status = fmt.Sprint(resp.StatusCode)
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Method+" "+kind+" "+status)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{}, r.reqs...)
}

// startProxy serves a reverse proxy to registry on a new port of
// 127.0.0.1; handle sees each request first and answers it itself by
// returning true. modify may rewrite the registry's answers.
func startProxy(t *testing.T, registry string, handle func(w http.ResponseWriter, r *http.Request) bool, modify func(*http.Response) error) string {
	t.Helper()
	target, _ := url.Parse("http://" + registry)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = modify
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if handle != nil && handle(w, r) {
			return
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// singlePOST answers a monolithic POST upload (?digest= with the body)
// with 201, as registries that support it do, by doing the POST and the
// PUT against docker-registry itself.
func singlePOST(registry string) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		d := r.URL.Query().Get("digest")
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/blobs/uploads/") || d == "" {
			return false
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return true
		}
		resp, err := http.Post("http://"+registry+r.URL.Path, "", nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return true
		}
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return true
		}
		q := loc.Query()
		q.Set("digest", d)
		loc.RawQuery, loc.Host = q.Encode(), registry
		req, _ := http.NewRequest(http.MethodPut, loc.String(), bytes.NewReader(body))
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return true
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			http.Error(w, resp.Status, resp.StatusCode)
			return true
		}
		w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "uploads/")+d)
		w.Header().Set("Docker-Content-Digest", d)
		w.WriteHeader(http.StatusCreated)
		return true
	}
}

// relativeLocation makes the registry's upload Locations relative.
func relativeLocation(resp *http.Response) error {
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := url.Parse(loc)
		if err != nil {
			return err
		}
		resp.Header.Set("Location", u.RequestURI())
	}
	return nil
}

// TestPusher tests the Pusher against one real docker-registry, directly
// and through proxies that answer as other registries do.
func TestPusher(t *testing.T) {
	reg := startPushRegistry(t)
	for _, tt := range []struct {
		name string
		test func(*testing.T, *pushRegistry)
	}{
		{"write", testPusherWrite},
		{"mount refused", testPusherMountRefused},
		{"index order", testPusherIndexOrder},
		{"retries", testPusherRetries},
		{"bearer auth", testPusherBearerAuth},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, reg) })
	}
}

// testPusherWrite writes an image (base layers from golden/base, one
// layer in memory) to a new repository, directly and through proxies that
// answer as other registries do, and checks every request made: no HEAD,
// one mount, the config in one or two requests, one manifest PUT.
func testPusherWrite(t *testing.T, reg *pushRegistry) {
	ctx := context.Background()
	tests := []struct {
		name   string
		handle func(http.ResponseWriter, *http.Request) bool
		modify func(*http.Response) error
		// config: the requests of the config upload.
		config []string
	}{
		{name: "docker-registry: absolute Location, POST then PUT",
			config: []string{"POST blobs/uploads 202", "PUT blobs/uploads 201"}},
		{name: "relative Location", modify: relativeLocation,
			config: []string{"POST blobs/uploads 202", "PUT blobs/uploads 201"}},
		{name: "a registry completing a monolithic POST", handle: singlePOST(reg.host),
			config: []string{"POST blobs/uploads 201"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			via := reg.host
			if tt.handle != nil || tt.modify != nil {
				via = startProxy(t, reg.host, tt.handle, tt.modify)
			}
			dst, _ := name.NewTag(fmt.Sprintf("%s/apps/w%d:1", via, i))
			img, blobs := reg.appImage(t, via, dst)
			appLayer, _ := img.Layers()
			rec := &recorder{next: http.DefaultTransport}
			got, err := Write(ctx, dst, img, WithTransport(rec), WithBlobs(blobs))
			if err != nil {
				t.Fatal(err)
			}
			reqs := rec.requests()
			t.Logf("requests: %q", reqs)
			var want []string
			for range len(appLayer) - 1 {
				want = append(want, "POST blobs/uploads?mount 201")
			}
			want = append(append(want, tt.config...), "PUT manifests:tag 201")
			if strings.Join(reqs, ", ") != strings.Join(want, ", ") {
				t.Errorf("requests\n %q\nwant\n %q", reqs, want)
			}
			checkWritten(t, reg.host, dst, img, got)
		})
	}
}

// checkWritten fails t unless dst names img's digest (got) in the
// registry, and every blob of img is there.
func checkWritten(t *testing.T, host string, dst name.Reference, img v1.Image, got name.Digest) {
	t.Helper()
	want, _ := img.Digest()
	if got.DigestStr() != want.String() {
		t.Errorf("Write returned %s, want %s", got, want)
	}
	ref, _ := name.ParseReference(host + "/" + dst.Context().RepositoryStr() + ":" + dst.Identifier())
	if t, ok := dst.(name.Digest); ok {
		ref, _ = name.ParseReference(host + "/" + t.Context().RepositoryStr() + "@" + t.DigestStr())
	}
	back, err := remote.Image(ref)
	if err != nil {
		t.Fatalf("reading %s back: %v", ref, err)
	}
	if d, _ := back.Digest(); d != want {
		t.Errorf("%s names %s, want %s", ref, d, want)
	}
	m, _ := img.Manifest()
	for _, d := range append([]v1.Descriptor{m.Config}, m.Layers...) {
		resp, err := http.Head("http://" + host + "/v2/" + ref.Context().RepositoryStr() + "/blobs/" + d.Digest.String())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("blob %s of %s is missing (%s)", d.Digest, ref, resp.Status)
		}
	}
}

// testPusherMountRefused: a mount from a repository that lacks the blob
// makes docker-registry open an upload (202); the layer is streamed into it.
func testPusherMountRefused(t *testing.T, reg *pushRegistry) {
	ctx := context.Background()
	l := imagetest.FilesLayer(t, map[string]string{"etc/only-here": "x"})
	nowhere, _ := name.ParseReference(reg.host + "/nowhere/empty:1")
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: &remote.MountableLayer{Layer: l, Reference: nowhere}})
	if err != nil {
		t.Fatal(err)
	}
	dst, _ := name.NewTag(reg.host + "/apps/refused:1")
	rec := &recorder{next: http.DefaultTransport}
	got, err := Write(ctx, dst, img, WithTransport(rec))
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	want := []string{"POST blobs/uploads?mount 202", "PUT blobs/uploads 201", "POST blobs/uploads 202", "PUT blobs/uploads 201", "PUT manifests:tag 201"}
	if strings.Join(reqs, ", ") != strings.Join(want, ", ") {
		t.Errorf("requests\n %q\nwant\n %q", reqs, want)
	}
	checkWritten(t, reg.host, dst, img, got)
}

// testPusherIndexOrder: an index's platform manifests are put by digest,
// each after its blobs, and the tag last; a non-distributable layer is
// not touched.
func testPusherIndexOrder(t *testing.T, reg *pushRegistry) {
	ctx := context.Background()
	dst, _ := name.NewTag(reg.host + "/apps/index:1")
	a, blobs := reg.appImage(t, reg.host, dst)
	foreign := static.NewLayer([]byte("not distributable"), types.DockerForeignLayer)
	b, err := mutate.Append(a, mutate.Addendum{Layer: foreign, URLs: []string{"https://example.org/foreign.tar.gz"}})
	if err != nil {
		t.Fatal(err)
	}
	fd, _ := foreign.Digest()
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: a}, mutate.IndexAddendum{Add: b})
	rec := &recorder{next: http.DefaultTransport}
	if _, err := Write(ctx, dst, idx, WithTransport(rec), WithBlobs(blobs)); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	t.Logf("requests: %q", reqs)
	if last := reqs[len(reqs)-1]; last != "PUT manifests:tag 201" {
		t.Errorf("last request %q, want the tag's PUT", last)
	}
	for i, r := range reqs {
		if strings.HasPrefix(r, "PUT manifests:tag") && i != len(reqs)-1 {
			t.Errorf("the tag is put at request %d of %d: %q", i, len(reqs), reqs)
		}
		if strings.HasPrefix(r, "HEAD") {
			t.Errorf("%q: want no HEAD", r)
		}
	}
	for _, r := range rec.requests() {
		if strings.Contains(r, fd.Hex) {
			t.Errorf("%q touches the foreign layer", r)
		}
	}
}

func FuzzLocation(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:5000/v2/apps/web/blobs/uploads/1f2e?_state=abc",
		"/v2/apps/web/blobs/uploads/1f2e?_state=abc",
		"uploads/1f2e",
		"",
		"http://[::1",
		"?digest=sha256:00",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("http://127.0.0.1:5000/v2/apps/web/blobs/uploads/?digest=sha256:00")
	h, _ := v1.NewHash("sha256:" + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, loc string) {
		resp := &http.Response{Status: "202 Accepted", Header: http.Header{"Location": {loc}}}
		u, err := location(resp, base, h)
		if err != nil {
			return
		}
		if got := u.Query().Get("digest"); got != h.String() {
			t.Errorf("location(%q) = %s: digest %q, want %s", loc, u, got, h)
		}
		if !strings.Contains(loc, "//") && !strings.Contains(loc, ":") && u.Host != base.Host {
			t.Errorf("relative location(%q) = %s: host %q, want %s", loc, u, u.Host, base.Host)
		}
	})
}
