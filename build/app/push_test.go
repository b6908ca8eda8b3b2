package app

import (
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
)

// TestBuildOnRegistryBase reads the base from a real registry (Debian's
// docker-registry) and pushes the application next to it: only the
// application's blobs are uploaded, the base's are the registry's already.
func TestBuildOnRegistryBase(t *testing.T) {
	host := testenv.StartRegistry(t)
	base := testBase(t, "65532:65532", "amd64", "arm64")
	baseRef := host + "/golden/base:1"
	ref, err := name.ParseReference(baseRef, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := image.Push(t.Context(), ref, base.Index); err != nil {
		t.Fatal(err)
	}
	before := testenv.BlobUploads(t, host)

	remoteBase, err := OpenBase(t.Context(), baseRef, source.WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	src := writeTree(t, map[string]string{"fake.txt": "", "run.sh": "#!/bin/sh\n"})
	res, err := Build(t.Context(), src, remoteBase, WithBuilders(&fake{name: "fake"}),
		WithName(host+"/payments/web"), WithTag(host+"/payments/web:1"), WithPush(), WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Pushed, host+"/payments/web@sha256:") {
		t.Errorf("pushed %q", res.Pushed)
	}
	// The fake's app layer is the same on both platforms, then a config per
	// platform; the base's blobs are mounted from its repository. The SBOMs
	// add two documents per platform and the artifacts' empty config.
	if n := testenv.BlobUploads(t, host) - before; n != 3+2*2+1 {
		t.Errorf("%d blobs uploaded, want 8 (the app layer, a config per platform, two SBOMs per platform, their empty config)", n)
	}
	appRepo, err := name.NewRepository(host+"/payments/web", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range res.Images {
		for _, at := range []string{sbom.ArtifactSPDX, sbom.ArtifactCycloneDX} {
			data, err := sbom.Attached(t.Context(), appRepo.Digest(ir.Digest), at)
			if err != nil || len(data) == 0 {
				t.Errorf("%s SBOM of %s: %v", at, ir.Platform, err)
			}
		}
	}

	pushed, err := source.Index(t.Context(), host+"/payments/web:1", source.WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := pushed.Digest(); d.String() != res.IndexDigest {
		t.Errorf("registry has %s, built %s", d, res.IndexDigest)
	}
	p, _ := image.PlatformFor("arm64")
	img, err := image.SelectImage(pushed, p)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(img)
	if err != nil {
		t.Fatal(err)
	}
	baseImg, _ := image.SelectImage(base.Index, p)
	bd, _ := baseImg.Digest()
	if lin.BaseName != baseRef || lin.BaseDigest != bd.String() || len(lin.Layers) != 3 || !lin.Layers[1].Base || lin.Layers[2].Base {
		t.Errorf("lineage %+v", lin)
	}
	// Built from the layout or the registry, the same base gives the same
	// images (only base.name differs).
	local, err := Build(t.Context(), src, &BaseIndex{Name: baseRef, Index: base.Index}, WithBuilders(&fake{name: "fake"}), WithName(host+"/payments/web"))
	if err != nil {
		t.Fatal(err)
	}
	if local.IndexDigest != res.IndexDigest {
		t.Errorf("from memory %s, from the registry %s", local.IndexDigest, res.IndexDigest)
	}
}
