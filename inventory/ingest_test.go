package inventory

import (
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func TestIsImageManifest(t *testing.T) {
	for _, tc := range []struct {
		name, manifest string
		want           bool
	}{
		{"oci image", `{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json"}}`, true},
		{"docker image", `{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json"}}`, true},
		{"attached sbom", `{"schemaVersion":2,"artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json"}}`, false},
		{"artifact config", `{"schemaVersion":2,"config":{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json"}}`, false},
		{"unreadable: left to the image reader", `{`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isImageManifest([]byte(tc.manifest)); got != tc.want {
				t.Errorf("isImageManifest = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestIsAttestation: the index entries ingest skips.
func TestIsAttestation(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    v1.Descriptor
		want bool
	}{
		{"platform image", v1.Descriptor{MediaType: types.OCIManifestSchema1, Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}, false},
		{"no platform", v1.Descriptor{MediaType: types.OCIManifestSchema1}, false},
		{"an index entry as go-containerregistry writes it", v1.Descriptor{MediaType: types.OCIManifestSchema1, ArtifactType: string(types.OCIConfigJSON)}, false},
		{"an SBOM in a referrers index", v1.Descriptor{MediaType: types.OCIManifestSchema1, ArtifactType: "application/spdx+json"}, true},
		{"buildkit attestation", v1.Descriptor{Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"}, Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isAttestation(tc.d) || !imageConfig(types.MediaType(tc.d.ArtifactType)); got != tc.want {
				t.Errorf("isAttestation = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReferrerTag(t *testing.T) {
	hex := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for tag, want := range map[string]bool{
		"sha256-" + hex:          true,
		"sha256-" + hex + ".sig": true,
		"sha256-" + hex + ".att": true,
		"latest":                 false,
		"sha256-abc":             false,
		"v1-sha256-" + hex:       false,
	} {
		if got := referrerTag.MatchString(tag); got != want {
			t.Errorf("referrerTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

// TestAddArtifact: a reference to an attached SBOM is refused with what it is.
func TestAddArtifact(t *testing.T) {
	host := testenv.StartRegistry(t)
	ref := host + "/add/app:1"
	d, _ := pushWithSBOM(t, ref, 42)
	s, err := Open(t.Context(), t.TempDir()+"/inventory.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sbomTag, _ := name.NewTag(host+"/add/app:sha256-"+d[len("sha256:"):], name.Insecure)
	if _, err := s.Add(t.Context(), sbomTag); err == nil || !strings.Contains(err.Error(), "it is an artifact") {
		t.Errorf("adding an attached SBOM's manifest (the referrers tag schema): %v, want it refused as an artifact", err)
	}
	r, _ := name.ParseReference(ref, name.Insecure)
	added, err := s.Add(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 1 || added[0].From != FromSBOM || added[0].Packages != 2 {
		t.Errorf("added %+v", added)
	}
}
