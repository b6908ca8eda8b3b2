package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

var (
	epochV1  = time.Unix(1700000000, 0).UTC()
	epochV2  = time.Unix(1710000000, 0).UTC()
	epochApp = time.Unix(1705000000, 0).UTC()
)

var sslVersion = map[int]string{1: "3.0.11-1~deb12u1", 2: "3.0.15-1~deb12u1"}

// golden synthesises build version (1 or 2) of a golden base for debArch:
// an os layer with a dpkg database whose libssl3 differs between builds.
func golden(t testing.TB, debArch string, version int) v1.Image {
	t.Helper()
	p, err := image.PlatformFor(debArch)
	if err != nil {
		t.Fatal(err)
	}
	ssl := sslVersion[version]
	status := fmt.Sprintf("Package: libssl3\nStatus: install ok installed\nVersion: %s\nArchitecture: %s\nSource: openssl\nMaintainer: Debian <debian@example.org>\n\n", ssl, debArch)
	osLayer := imagetest.FilesLayer(t, map[string]string{
		"etc/os-release":      "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
		"var/lib/dpkg/status": status,
	})
	layers := []image.LayerInfo{{Layer: osLayer, Name: "os", Owner: "platform <platform@example.org>", Packages: []string{"libssl3=" + ssl}}}
	cfg := image.Config{User: "65532", Env: []string{"PATH=/usr/bin:/bin", fmt.Sprintf("BASE_BUILD=%d", version)}}
	created := map[int]time.Time{1: epochV1, 2: epochV2}[version]
	img, err := image.Assemble(p, layers, cfg, created, image.Annotations{Title: "golden/base", Vendor: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func goldenIndex(t testing.TB, version int, arches ...string) v1.ImageIndex {
	t.Helper()
	var imgs []v1.Image
	for _, a := range arches {
		imgs = append(imgs, golden(t, a, version))
	}
	idx, err := image.Index(imgs, image.Annotations{Title: "golden/base", Vendor: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// appOn builds app image appName on base as build/app does: the base's
// layers marked base, then one app layer.
func appOn(t testing.TB, base v1.Image, baseName, appName, debArch string) v1.Image {
	t.Helper()
	p, err := image.PlatformFor(debArch)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(base)
	if err != nil {
		t.Fatal(err)
	}
	bl, err := base.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var layers []image.LayerInfo
	for i, l := range bl {
		r := lin.Layers[i]
		layers = append(layers, image.LayerInfo{Layer: l, Name: r.Name, Owner: r.Owner, Packages: r.Packages, Base: true})
	}
	layers = append(layers, image.LayerInfo{
		Layer: imagetest.FilesLayer(t, map[string]string{"app/" + appName: "#!/bin/sh\necho " + appName + " " + debArch + "\n"}),
		Name:  "app", Owner: appName + " <" + appName + "@example.org>",
	})
	bcf, err := base.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	bd, err := base.Digest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.Assemble(p, layers, image.Config{
		User: bcf.Config.User, Env: append(append([]string{}, bcf.Config.Env...), "APP="+appName),
		Entrypoint: []string{"/app/" + appName},
	}, epochApp, image.Annotations{Title: appName, Vendor: appName, BaseName: baseName, BaseDigest: bd.String()})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func appIndexOn(t testing.TB, base v1.ImageIndex, baseName, appName string, arches ...string) v1.ImageIndex {
	t.Helper()
	var imgs []v1.Image
	for _, a := range arches {
		p, err := image.PlatformFor(a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := image.SelectImage(base, p)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, appOn(t, b, baseName, appName, a))
	}
	idx, err := image.Index(imgs, image.Annotations{Title: appName, Vendor: appName, BaseName: baseName})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func push(t testing.TB, ref string, idx v1.ImageIndex) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := image.Push(context.Background(), r, idx); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
}

// ingest records every platform image of the index at ref in store, as a
// crawl or a build would.
func ingest(t testing.TB, store *inventory.Store, ref string) {
	t.Helper()
	ctx := context.Background()
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(tag, remote.WithContext(ctx))
	if err != nil {
		t.Fatalf("reading %s: %v", ref, err)
	}
	id, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sbom.FromImage(ctx, img, sbom.WithName(tag.Context().Name()))
		if err != nil {
			t.Fatalf("inspecting %s: %v", ref, err)
		}
		// With its documents, as ingot inventory add records it.
		raw, err := inventory.ImageDocuments(img)
		if err != nil {
			t.Fatal(err)
		}
		ixd, err := inventory.IndexDocument(idx)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.PutImage(ctx, doc, inventory.ImageRef{Repository: tag.Context().Name(), Tags: []string{tag.TagStr()}, IndexDigest: id.String(),
			Documents: append(raw, ixd)}); err != nil {
			t.Fatalf("recording %s: %v", ref, err)
		}
	}
}

func openStore(t testing.TB) *inventory.Store {
	t.Helper()
	s, err := inventory.Open(context.Background(), filepath.Join(t.TempDir(), "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// digests returns the index digest and the platform manifest digests of idx.
func digests(t testing.TB, idx v1.ImageIndex) []string {
	t.Helper()
	d, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{d.String()}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range im.Manifests {
		out = append(out, m.Digest.String())
	}
	return out
}

// countUploads counts the blob uploads (PUT) of digest in the registry log.
func countUploads(t testing.TB, logPath string, digest v1.Hash) int {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "response completed") && strings.Contains(l, "http.request.method=PUT") &&
			strings.Contains(l, "/blobs/uploads/") && strings.Contains(l, digest.Hex) {
			n++
		}
	}
	return n
}
