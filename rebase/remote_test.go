package rebase

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// fleet is a registry with golden/base:1 and :2 (amd64 and arm64) and an
// app index apps/web:1 and an app image apps/api:1, both on base:1.
type fleet struct {
	host             string
	base1, base2     string
	webIndex, apiImg string
	web              v1.ImageIndex
	api              v1.Image
}

func startFleet(t testing.TB) *fleet {
	t.Helper()
	testenv.RequireTool(t, "docker-registry")
	f := &fleet{host: testenv.StartRegistry(t)}
	f.base1, f.base2 = f.host+"/golden/base:1", f.host+"/golden/base:2"
	v1i := goldenIndex(t, "base", 1, "amd64", "arm64")
	push(t, f.base1, v1i)
	push(t, f.base2, goldenIndex(t, "base", 2, "amd64", "arm64"))
	f.web = appIndexOn(t, v1i, f.base1, "amd64", "arm64")
	f.webIndex = f.host + "/apps/web:1"
	push(t, f.webIndex, f.web)
	amd, err := v1i.Image(mustManifest(t, v1i, 0))
	if err != nil {
		t.Fatal(err)
	}
	f.api = appOn(t, amd, f.base1, "amd64")
	f.apiImg = f.host + "/apps/api:1"
	ref, _ := name.ParseReference(f.apiImg)
	if err := remote.Write(ref, f.api); err != nil {
		t.Fatal(err)
	}
	return f
}

func push(t testing.TB, ref string, idx v1.ImageIndex) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
}

func mustManifest(t testing.TB, idx v1.ImageIndex, i int) v1.Hash {
	t.Helper()
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	return im.Manifests[i].Digest
}

// uploadedDigests counts the uploads (PUT) of each blob digest to the
// registry so far, from its log.
func uploadedDigests(t *testing.T, host string) map[string]int {
	t.Helper()
	fh, err := os.Open(testenv.RegistryLog(t, host))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if !strings.Contains(l, "http.request.method=PUT") || !strings.Contains(l, "/blobs/uploads/") {
			continue
		}
		if i := strings.Index(l, "digest=sha256"); i >= 0 {
			d := l[i+len("digest="):]
			d = strings.ReplaceAll(d, "%3A", ":")
			if j := strings.IndexAny(d, "& \""); j >= 0 {
				d = d[:j]
			}
			out[d]++
		}
	}
	return out
}

func TestRegistryIndexWrite(t *testing.T) {
	f := startFleet(t)
	ctx := context.Background()
	read := func(ref string) v1.ImageIndex {
		r, _ := name.ParseReference(ref)
		idx, err := remote.Index(r)
		if err != nil {
			t.Fatal(err)
		}
		return idx
	}
	out, changes, err := Index(ctx, read(f.webIndex), read(f.base1), read(f.base2), WithNewBaseName(f.base2))
	if err != nil {
		t.Fatal(err)
	}
	before := testenv.BlobUploads(t, f.host)
	dst, _ := name.NewTag(f.host + "/apps/web:rebased")
	got, err := Write(ctx, dst, out)
	if err != nil {
		t.Fatal(err)
	}
	if n := testenv.BlobUploads(t, f.host) - before; n != len(changes) {
		t.Errorf("%d blobs uploaded, want %d (one config per platform; layers mounted or present)", n, len(changes))
	}
	desc, err := remote.Head(dst)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("to another repository the app layers are mounted too", func(t *testing.T) {
		before := testenv.BlobUploads(t, f.host)
		other, _ := name.NewTag(f.host + "/team-b/web:1")
		if _, err := Write(ctx, other, out); err != nil {
			t.Fatal(err)
		}
		if n := testenv.BlobUploads(t, f.host) - before; n != len(changes) {
			t.Errorf("%d blobs uploaded to another repository, want %d configs", n, len(changes))
		}
		if _, err := remote.Index(other); err != nil {
			t.Errorf("reading the index back: %v", err)
		}
	})
	if desc.Digest.String() != got.DigestStr() {
		t.Errorf("tag points at %s, written %s", desc.Digest, got)
	}
	// The rebased index reads back whole, with the new base's PATH.
	idx, err := remote.Index(dst)
	if err != nil {
		t.Fatal(err)
	}
	for i := range changes {
		img, err := idx.Image(mustManifest(t, idx, i))
		if err != nil {
			t.Fatal(err)
		}
		if env := envOf(t, img); env["PATH"] != "/usr/local/bin:/usr/bin:/bin" || env["APP_MODE"] != "prod" {
			t.Errorf("platform %d Env = %v", i, env)
		}
		ls, _ := img.Layers()
		for _, l := range ls {
			rc, err := l.Compressed() // every blob is in the repository
			if err != nil {
				t.Fatalf("layer of %s: %v", changes[i].Platform, err)
			}
			rc.Close()
		}
	}
}

func TestRegistryRemoteUndo(t *testing.T) {
	f := startFleet(t)
	ctx := context.Background()
	store, err := inventory.Open(ctx, filepath.Join(t.TempDir(), "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ref, _ := name.ParseReference(f.webIndex)
	onto, _ := name.ParseReference(f.base2)
	req := Request{Image: ref, NewBase: onto}
	appLayers := map[string]bool{}
	for i := range 2 {
		img, _ := f.web.Image(mustManifest(t, f.web, i))
		appLayers[layerDigests(t, img)[2]] = true
	}

	t.Run("dry run writes nothing", func(t *testing.T) {
		before := testenv.BlobUploads(t, f.host)
		dry := req
		dry.DryRun = true
		o, err := Remote(ctx, dry, WithInventory(store))
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Changes) != 2 || o.NewDigest != "" || testenv.BlobUploads(t, f.host) != before {
			t.Errorf("outcome = %+v", o)
		}
		if d, _ := remote.Head(ref); d.Digest.String() != o.OldDigest {
			t.Errorf("dry run moved the tag")
		}
	})

	uploaded := uploadedDigests(t, f.host)
	o, err := Remote(ctx, req, WithInventory(store))
	if err != nil {
		t.Fatal(err)
	}
	if !o.Index || len(o.Changes) != 2 || o.NewDigest == o.OldDigest || o.Target != f.webIndex {
		t.Fatalf("outcome = %+v", o)
	}
	for d, n := range uploadedDigests(t, f.host) {
		if appLayers[d] && n != uploaded[d] {
			t.Errorf("app layer %s was uploaded again", d)
		}
	}
	if d, _ := remote.Head(ref); d.Digest.String() != o.NewDigest {
		t.Errorf("tag at %s, want %s", d.Digest, o.NewDigest)
	}

	t.Run("the SBOM lists the new base's packages", func(t *testing.T) {
		nd, _ := name.NewDigest(ref.Context().Name() + "@" + o.Changes[0].NewDigest)
		b, err := sbom.Attached(ctx, nd, sbom.ArtifactSPDX)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); !strings.Contains(s, "3.0.15-1~deb12u1") || strings.Contains(s, "3.0.11-1~deb12u1") {
			t.Errorf("SBOM does not list the new libssl3 only:\n%.2000s", s)
		}
	})

	t.Run("the inventory knows the new image and its base", func(t *testing.T) {
		imgs, err := store.Resolve(ctx, f.webIndex)
		if err != nil {
			t.Fatal(err)
		}
		if len(imgs) != 2 || imgs[0].IndexDigest != o.NewDigest || !strings.HasPrefix(imgs[0].BaseName, f.host+"/golden/base:2") {
			t.Errorf("inventory = %+v", imgs)
		}
	})

	t.Run("a rerun writes nothing", func(t *testing.T) {
		before := testenv.BlobUploads(t, f.host)
		again, err := Remote(ctx, req, WithInventory(store))
		if err != nil {
			t.Fatal(err)
		}
		if !again.Unchanged || again.OldDigest != o.NewDigest || testenv.BlobUploads(t, f.host) != before {
			t.Errorf("rerun = %+v", again)
		}
	})

	t.Run("undo moves the tag back", func(t *testing.T) {
		tag := ref.(name.Tag)
		from, to, err := Undo(ctx, store, tag)
		if err != nil {
			t.Fatal(err)
		}
		if from != o.NewDigest || to != o.OldDigest {
			t.Errorf("undo %s → %s, want %s → %s", from, to, o.NewDigest, o.OldDigest)
		}
		if d, _ := remote.Head(tag); d.Digest.String() != o.OldDigest {
			t.Errorf("tag at %s after undo, want %s", d.Digest, o.OldDigest)
		}
		tags, _ := store.Tags(ctx, tag.Context().Name())
		if tags["1"] != o.OldDigest {
			t.Errorf("inventory tag at %s", tags["1"])
		}
	})

	t.Run("an image onto an index base, to another tag", func(t *testing.T) {
		api, _ := name.ParseReference(f.apiImg)
		dst, _ := name.NewTag(f.host + "/apps/api:patched")
		o, err := Remote(ctx, Request{Image: api, NewBase: onto, Tag: dst}, WithSBOM(false))
		if err != nil {
			t.Fatal(err)
		}
		if o.Index || len(o.Changes) != 1 || o.Changes[0].Platform != "linux/amd64" {
			t.Fatalf("outcome = %+v", o)
		}
		img, err := remote.Image(dst)
		if err != nil {
			t.Fatal(err)
		}
		if envOf(t, img)["BASE_BUILD"] != "2" {
			t.Errorf("Env = %v", envOf(t, img))
		}
		if d, _ := remote.Head(api); d.Digest.String() != o.OldDigest {
			t.Error("the source tag moved")
		}
	})
}
