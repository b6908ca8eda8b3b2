package inventory

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testAddLocal (run by TestStores) records the images of an OCI layout (no registry, so no
// attached SBOM to look for) and finds them known on a second add.
func testAddLocal(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		var idx v1.ImageIndex = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
		for _, arch := range []string{"amd64", "arm64"} {
			img, err := random.Image(64, 2)
			if err != nil {
				t.Fatal(err)
			}
			idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
		}
		dir := t.TempDir()
		p, err := layout.Write(dir, idx)
		if err != nil {
			t.Fatal(err)
		}
		read, err := p.ImageIndex()
		if err != nil {
			t.Fatal(err)
		}
		added, err := s.AddLocal(ctx, "registry.example.com/team/local", read, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 2 {
			t.Fatalf("added %d images, want 2: %+v", len(added), added)
		}
		for _, a := range added {
			if a.Repository != "registry.example.com/team/local" || a.From != FromInspected || a.Platform == "" {
				t.Errorf("added %+v, want inspected images of registry.example.com/team/local with a platform", a)
			}
		}
		// The index, each manifest and each config are kept, as read.
		want := map[string]bool{}
		d, _ := read.Digest()
		want[d.String()] = true
		im, _ := read.IndexManifest()
		for _, m := range im.Manifests {
			want[m.Digest.String()] = true
			img, _ := read.Image(m.Digest)
			c, _ := img.ConfigName()
			want[c.String()] = true
		}
		var digests []string
		for d := range want {
			digests = append(digests, d)
		}
		if docs, err := s.Documents(ctx, digests); err != nil || len(docs) != 5 {
			t.Errorf("Documents of the index, its manifests and configs: %d of 5 (%v)", len(docs), err)
		}
		again, err := s.AddLocal(ctx, "registry.example.com/team/local", read, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range again {
			if a.From != FromKnown {
				t.Errorf("second add read the image again: %+v", a)
			}
		}
		if _, err := s.AddLocal(ctx, "Not A Repo", read, nil); err == nil {
			t.Error("a bad repository name was accepted")
		}
	})
}
