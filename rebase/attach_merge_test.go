package rebase

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/sbom"
)

func TestMergeReferrers(t *testing.T) {
	d := func(c byte, at string) v1.Descriptor {
		return v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat(string(c), 64)}, Size: 10, ArtifactType: at}
	}
	index := func(ds ...v1.Descriptor) []byte {
		b, _ := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: ds})
		return b
	}
	spdx, cdx, other := d('b', sbom.ArtifactSPDX), d('a', sbom.ArtifactCycloneDX), d('c', "application/vnd.example")
	tests := []struct {
		name    string
		raw     []byte
		add     []v1.Descriptor
		want    []byte // nil: unchanged
		wantErr string
	}{
		{name: "no index yet", add: []v1.Descriptor{spdx, cdx}, want: index(cdx, spdx)},
		{name: "one of two listed", raw: index(spdx), add: []v1.Descriptor{spdx, cdx}, want: index(cdx, spdx)},
		{name: "all listed", raw: index(cdx, spdx), add: []v1.Descriptor{spdx, cdx}},
		{name: "other referrers kept", raw: index(other), add: []v1.Descriptor{spdx}, want: index(spdx, other)},
		{name: "not JSON", raw: []byte("<html>"), add: []v1.Descriptor{spdx}, wantErr: "decoding"},
		{name: "an image manifest", raw: []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}`), add: []v1.Descriptor{spdx}, wantErr: "not an OCI image index"},
		{name: "a manifest without a digest", raw: []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"x","size":1}]}`), add: []v1.Descriptor{spdx}, wantErr: "without a valid digest"},
		{name: "schema 1", raw: []byte(`{"schemaVersion":1,"mediaType":"application/vnd.oci.image.index.v1+json"}`), add: []v1.Descriptor{spdx}, wantErr: "not an OCI image index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := mergeReferrers(tt.raw, tt.add)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if changed != (tt.want != nil) || !bytes.Equal(got, tt.want) {
				t.Errorf("got %v %s\nwant %s", changed, got, tt.want)
			}
		})
	}
}

// FuzzMergeReferrers: whatever the registry answers, merging either fails
// or yields an index listing the added descriptors once, sorted, which a
// second merge leaves alone.
func FuzzMergeReferrers(f *testing.F) {
	f.Add([]byte(nil))
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`))
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"x","digest":"sha256:` + strings.Repeat("f", 64) + `","size":1}]}`))
	f.Add([]byte(`null`))
	add := []v1.Descriptor{
		{MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("1", 64)}, Size: 1, ArtifactType: sbom.ArtifactSPDX},
		{MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("2", 64)}, Size: 1, ArtifactType: sbom.ArtifactCycloneDX},
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, changed, err := mergeReferrers(raw, add)
		if err != nil {
			return
		}
		if !changed {
			out = raw
		}
		var im v1.IndexManifest
		if err := json.Unmarshal(out, &im); err != nil {
			t.Fatalf("merged index does not decode: %v", err)
		}
		for _, a := range add {
			n := 0
			for _, d := range im.Manifests {
				if d.Digest == a.Digest {
					n++
				}
			}
			if n < 1 {
				t.Fatalf("%s not listed in %s", a.Digest, out)
			}
		}
		if _, again, err := mergeReferrers(out, add); err != nil || again {
			t.Fatalf("a second merge changed %s (%v)", out, err)
		}
	})
}
