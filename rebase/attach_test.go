package rebase

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
)

// TestAttach attaches documents through the Pusher to images in one real
// docker-registry (which has no referrers API), directly and through
// proxies, and compares with sbom.Attach (go-containerregistry's writes).
func TestAttach(t *testing.T) {
	host := testenv.StartRegistry(t)
	for _, tt := range []struct {
		name string
		test func(*testing.T, string)
	}{
		{"like sbom.Attach", testAttachLikeSBOMAttach},
		{"a rerun adds nothing", testAttachRerun},
		{"a failure half-way, then a rerun", testAttachHalfWay},
		{"a registry with the referrers API", testAttachReferrersAPI},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, host) })
	}
}

// subjectIn writes one small image to each of repos (same digest in each)
// and returns its descriptor.
func subjectIn(t *testing.T, host string, repos ...string) v1.Descriptor {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repos {
		ref, _ := name.ParseReference(host + "/" + r + ":1")
		if err := remote.Write(ref, img); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := img.RawManifest()
	d, _ := img.Digest()
	mt, _ := img.MediaType()
	return v1.Descriptor{MediaType: mt, Digest: d, Size: int64(len(raw))}
}

// testDocs are two documents unique to t.
func testDocs(t *testing.T) []sbom.Attachment {
	return attachments([]byte(`{"spdxVersion":"SPDX-2.3","name":"`+t.Name()+`"}`), []byte(`{"bomFormat":"CycloneDX","serialNumber":"`+t.Name()+`"}`))
}

// fallbackIndex returns the referrers tag index of subject in repo (nil:
// none), read directly from the registry.
func fallbackIndex(t *testing.T, host, repo string, subject v1.Hash) []byte {
	t.Helper()
	ref, _ := name.ParseReference(fmt.Sprintf("%s/%s:%s-%s", host, repo, subject.Algorithm, subject.Hex))
	desc, err := remote.Get(ref)
	var te *transport.Error
	if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if desc.MediaType != types.OCIImageIndex {
		t.Errorf("the referrers tag of %s is a %s", subject, desc.MediaType)
	}
	return desc.Manifest
}

// checkReferrers fails t unless the referrers tag index of subject in repo
// lists docs' artifact types exactly once each, and sbom.Attached reads
// each document back byte for byte.
func checkReferrers(t *testing.T, host, repo string, subject v1.Hash, docs []sbom.Attachment) {
	t.Helper()
	var im v1.IndexManifest
	if err := json.Unmarshal(fallbackIndex(t, host, repo, subject), &im); err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, d := range im.Manifests {
		types[d.ArtifactType]++
	}
	for _, d := range docs {
		if types[d.ArtifactType] != 1 {
			t.Errorf("the referrers index lists %d %s manifests, want 1: %+v", types[d.ArtifactType], d.ArtifactType, im.Manifests)
		}
		ref, _ := name.NewDigest(host + "/" + repo + "@" + subject.String())
		b, err := sbom.Attached(context.Background(), ref, d.ArtifactType)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, d.Data) {
			t.Errorf("the %s document read back is\n%s\nwant\n%s", d.ArtifactType, b, d.Data)
		}
	}
	if len(im.Manifests) != len(docs) {
		t.Errorf("the referrers index lists %d manifests, want %d", len(im.Manifests), len(docs))
	}
}

// testAttachLikeSBOMAttach: the Pusher's requests, and what they leave in
// the registry (artifact manifests and the referrers tag index), byte for
// byte what sbom.Attach leaves for the same subject and documents.
func testAttachLikeSBOMAttach(t *testing.T, host string) {
	ctx := context.Background()
	sub := subjectIn(t, host, "like/ggcr", "like/pusher")
	docs := testDocs(t)

	ggcr := &recorder{next: http.DefaultTransport}
	ref, _ := name.NewDigest(host + "/like/ggcr@" + sub.Digest.String())
	if err := sbom.Attach(ctx, ref, docs, remote.WithTransport(ggcr)); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: http.DefaultTransport}
	repo, _ := name.NewRepository(host + "/like/pusher")
	if err := NewPusher(WithTransport(rec)).attach(ctx, repo, sub, docs, NewBlobs()); err != nil {
		t.Fatal(err)
	}
	t.Logf("sbom.Attach: %d requests %q", len(ggcr.requests()), ggcr.requests())
	t.Logf("Pusher: %d requests %q", len(rec.requests()), rec.requests())
	want := []string{
		"POST blobs/uploads 202", "PUT blobs/uploads 201", // the empty config
		"POST blobs/uploads 202", "PUT blobs/uploads 201", "PUT manifests 201", // SPDX
		"POST blobs/uploads 202", "PUT blobs/uploads 201", "PUT manifests 201", // CycloneDX
		"GET manifests:tag 404", "PUT manifests:tag 201", // the referrers tag index
	}
	if got := rec.requests(); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("requests\n %q\nwant\n %q", got, want)
	}
	checkReferrers(t, host, "like/pusher", sub.Digest, docs)
	ours, theirs := fallbackIndex(t, host, "like/pusher", sub.Digest), fallbackIndex(t, host, "like/ggcr", sub.Digest)
	if !bytes.Equal(ours, theirs) {
		t.Errorf("referrers index\n%s\nwant (sbom.Attach's)\n%s", ours, theirs)
	}
	var im v1.IndexManifest
	json.Unmarshal(ours, &im)
	for _, d := range im.Manifests {
		a, _ := name.NewDigest(host + "/like/pusher@" + d.Digest.String())
		b, _ := name.NewDigest(host + "/like/ggcr@" + d.Digest.String())
		ma, err := remote.Get(a)
		if err != nil {
			t.Fatalf("the artifact manifest %s is not in like/pusher: %v", d.Digest, err)
		}
		mb, err := remote.Get(b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ma.Manifest, mb.Manifest) {
			t.Errorf("artifact manifest\n%s\nwant (sbom.Attach's)\n%s", ma.Manifest, mb.Manifest)
		}
	}
}

// testAttachRerun: attaching the same documents again (a rerun of a fleet)
// reads the index and writes it not; with the fleet's Blobs, no blob is
// uploaded again either.
func testAttachRerun(t *testing.T, host string) {
	ctx := context.Background()
	sub := subjectIn(t, host, "rerun/app")
	docs := testDocs(t)
	repo, _ := name.NewRepository(host + "/rerun/app")
	blobs := NewBlobs()
	if err := NewPusher().attach(ctx, repo, sub, docs, blobs); err != nil {
		t.Fatal(err)
	}
	before := fallbackIndex(t, host, "rerun/app", sub.Digest)
	for _, tt := range []struct {
		name  string
		blobs *Blobs
		want  []string
	}{
		{"a new fleet", NewBlobs(), []string{
			"POST blobs/uploads 202", "PUT blobs/uploads 201",
			"POST blobs/uploads 202", "PUT blobs/uploads 201", "PUT manifests 201",
			"POST blobs/uploads 202", "PUT blobs/uploads 201", "PUT manifests 201",
			"GET manifests:tag 200"}},
		{"the same fleet", blobs, []string{"PUT manifests 201", "PUT manifests 201", "GET manifests:tag 200"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{next: http.DefaultTransport}
			if err := NewPusher(WithTransport(rec)).attach(ctx, repo, sub, docs, tt.blobs); err != nil {
				t.Fatal(err)
			}
			if got := rec.requests(); strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("requests\n %q\nwant\n %q", got, tt.want)
			}
			if after := fallbackIndex(t, host, "rerun/app", sub.Digest); !bytes.Equal(after, before) {
				t.Errorf("the referrers index changed:\n%s\nwas\n%s", after, before)
			}
			checkReferrers(t, host, "rerun/app", sub.Digest, docs)
		})
	}
}

// failTagPut answers 500 to the PUT of every referrers tag index while on.
type failTagPut struct {
	mu sync.Mutex
	on bool
}

func (f *failTagPut) handle(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.on || r.Method != http.MethodPut || !strings.Contains(r.URL.Path, "/manifests/sha256-") {
		return false
	}
	http.Error(w, `{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}`, http.StatusInternalServerError)
	return true
}

// testAttachHalfWay: an index already listing the SPDX document (an
// earlier attach), then an attach of both whose index PUT fails: the error
// names the subject and says to rerun, and the rerun leaves the index
// sbom.Attach would have left.
func testAttachHalfWay(t *testing.T, host string) {
	ctx := context.Background()
	fault := &failTagPut{}
	via := startProxy(t, host, fault.handle, nil)
	sub := subjectIn(t, host, "halfway/app", "halfway/ggcr")
	docs := testDocs(t)
	repo, _ := name.NewRepository(via + "/halfway/app")
	p := NewPusher(WithRetries(0))
	if err := p.attach(ctx, repo, sub, docs[:1], NewBlobs()); err != nil {
		t.Fatal(err)
	}
	fault.on = true
	err := p.attach(ctx, repo, sub, docs, NewBlobs())
	if err == nil {
		t.Fatal("attach succeeded though the referrers index could not be written")
	}
	for _, want := range []string{sub.Digest.String(), "rerun to retry", "sha256-" + sub.Digest.Hex} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	fault.on = false
	if err := p.attach(ctx, repo, sub, docs, NewBlobs()); err != nil {
		t.Fatal(err)
	}
	checkReferrers(t, host, "halfway/app", sub.Digest, docs)
	ref, _ := name.NewDigest(host + "/halfway/ggcr@" + sub.Digest.String())
	if err := sbom.Attach(ctx, ref, docs); err != nil {
		t.Fatal(err)
	}
	if ours, theirs := fallbackIndex(t, host, "halfway/app", sub.Digest), fallbackIndex(t, host, "halfway/ggcr", sub.Digest); !bytes.Equal(ours, theirs) {
		t.Errorf("referrers index after the rerun\n%s\nwant (sbom.Attach's)\n%s", ours, theirs)
	}
}

// testAttachReferrersAPI: a registry that answers an artifact manifest's
// PUT with OCI-Subject keeps the referrers itself: no index is read or
// written.
func testAttachReferrersAPI(t *testing.T, host string) {
	ctx := context.Background()
	sub := subjectIn(t, host, "api/app")
	via := startProxy(t, host, nil, func(resp *http.Response) error {
		if resp.Request.Method == http.MethodPut && strings.Contains(resp.Request.URL.Path, "/manifests/sha256:") {
			resp.Header.Set("OCI-Subject", sub.Digest.String())
		}
		return nil
	})
	rec := &recorder{next: http.DefaultTransport}
	repo, _ := name.NewRepository(via + "/api/app")
	if err := NewPusher(WithTransport(rec)).attach(ctx, repo, sub, testDocs(t), NewBlobs()); err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.requests() {
		if strings.Contains(r, "manifests:tag") {
			t.Errorf("request %q: the registry keeps the referrers", r)
		}
	}
	if got := len(rec.requests()); got != 8 {
		t.Errorf("%d requests, want 8: %q", got, rec.requests())
	}
	if idx := fallbackIndex(t, host, "api/app", sub.Digest); idx != nil {
		t.Errorf("a referrers tag index was written: %s", idx)
	}
}

// paths records the method and path of every request but pings.
type paths struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []string
}

func (p *paths) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != "/v2/" {
		p.mu.Lock()
		p.reqs = append(p.reqs, r.Method+" "+r.URL.Path)
		p.mu.Unlock()
	}
	return p.next.RoundTrip(r)
}

func (p *paths) count(method, pathPart string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.reqs {
		if strings.HasPrefix(r, method+" ") && strings.Contains(r, pathPart) {
			n++
		}
	}
	return n
}

// TestRegistryRemoteSBOMs: Remote with SBOMs (the default) attaches both
// documents to each platform manifest through the Pusher, without a HEAD
// and with one referrers index write per platform, leaving what
// sbom.Attach would have left; a second Remote of the same image adds no
// referrer.
func TestRegistryRemoteSBOMs(t *testing.T) {
	f := startFleet(t)
	ctx := context.Background()
	web, _ := name.ParseReference(f.webIndex)
	onto, _ := name.ParseReference(f.base2)
	dst, _ := name.NewTag(f.host + "/apps/web:patched")
	req := Request{Image: web, NewBase: onto, Tag: dst}
	rec := &paths{next: http.DefaultTransport}
	o, err := Remote(ctx, req, WithTransport(rec))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Changes) != 2 || o.Unchanged {
		t.Fatalf("outcome = %+v", o)
	}
	t.Logf("%d requests: %q", len(rec.reqs), rec.reqs)
	if n := rec.count("HEAD", ""); n != 0 {
		t.Errorf("%d HEAD requests, want none", n)
	}
	if n := rec.count("PATCH", ""); n != 0 {
		t.Errorf("%d PATCH requests, want none", n)
	}
	if n := rec.count("PUT", "/manifests/sha256-"); n != 2 {
		t.Errorf("%d referrers index PUTs, want 2 (one per platform)", n)
	}
	if n := rec.count("GET", "/referrers/"); n != 0 {
		t.Errorf("%d referrers API requests, want none", n)
	}
	const repo = "apps/web"
	indexes := map[v1.Hash][]byte{}
	for _, ch := range o.Changes {
		sub, _ := v1.NewHash(ch.NewDigest)
		ref, _ := name.NewDigest(f.host + "/" + repo + "@" + ch.NewDigest)
		var docs []sbom.Attachment
		for _, at := range []string{sbom.ArtifactSPDX, sbom.ArtifactCycloneDX} {
			b, err := sbom.Attached(ctx, ref, at)
			if err != nil {
				t.Fatal(err)
			}
			if s := string(b); !strings.Contains(s, "3.0.15-1~deb12u1") || strings.Contains(s, "3.0.11-1~deb12u1") {
				t.Errorf("the %s SBOM of %s does not list the new libssl3 only:\n%.1000s", at, ch.Platform, s)
			}
			docs = append(docs, sbom.Attachment{ArtifactType: at, Data: b})
		}
		docs = attachments(docs[0].Data, docs[1].Data)
		checkReferrers(t, f.host, repo, sub, docs)
		indexes[sub] = fallbackIndex(t, f.host, repo, sub)
		// go-containerregistry, given the same documents, finds its
		// manifests (same digests) already listed: the index stays.
		if err := sbom.Attach(ctx, ref, docs); err != nil {
			t.Fatal(err)
		}
		if after := fallbackIndex(t, f.host, repo, sub); !bytes.Equal(after, indexes[sub]) {
			t.Errorf("sbom.Attach of the same documents changed the index of %s:\n%s\nwas\n%s", ch.Platform, after, indexes[sub])
		}
	}

	again := &paths{next: http.DefaultTransport}
	o2, err := Remote(ctx, req, WithTransport(again))
	if err != nil {
		t.Fatal(err)
	}
	if o2.NewDigest != o.NewDigest {
		t.Fatalf("the second rebase made %s, the first %s", o2.NewDigest, o.NewDigest)
	}
	if n := again.count("PUT", "/manifests/sha256-"); n != 0 {
		t.Errorf("the second run wrote %d referrers indexes, want none", n)
	}
	for sub, before := range indexes {
		if after := fallbackIndex(t, f.host, repo, sub); !bytes.Equal(after, before) {
			t.Errorf("the second run changed the index of %s:\n%s\nwas\n%s", sub, after, before)
		}
	}

	t.Run("an image, not an index", func(t *testing.T) {
		api, _ := name.ParseReference(f.apiImg)
		dst, _ := name.NewTag(f.host + "/apps/api:patched")
		o, err := Remote(ctx, Request{Image: api, NewBase: onto, Tag: dst})
		if err != nil {
			t.Fatal(err)
		}
		if o.Index || len(o.Changes) != 1 {
			t.Fatalf("outcome = %+v", o)
		}
		sub, _ := v1.NewHash(o.NewDigest)
		var docs []sbom.Attachment
		for _, at := range []string{sbom.ArtifactSPDX, sbom.ArtifactCycloneDX} {
			b, err := sbom.Attached(ctx, dst, at)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, sbom.Attachment{ArtifactType: at, Data: b})
		}
		checkReferrers(t, f.host, "apps/api", sub, attachments(docs[0].Data, docs[1].Data))
	})
}
