package image

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestIndex(t *testing.T) {
	idx := testIndex(t)
	if err := validate.Index(idx); err != nil {
		t.Fatalf("validate.Index: %v", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != types.OCIImageIndex {
		t.Errorf("index media type %s", im.MediaType)
	}
	var plats []string
	for _, d := range im.Manifests {
		plats = append(plats, d.Platform.String())
		if d.MediaType != types.OCIManifestSchema1 {
			t.Errorf("child %s media type %s", d.Platform, d.MediaType)
		}
	}
	if got := strings.Join(plats, " "); got != "linux/amd64 linux/arm64/v8" {
		t.Errorf("platforms = %s", got)
	}
	if im.Annotations[AnnotationCreated] != "2023-11-14T22:13:20Z" || im.Annotations[AnnotationSpecDigest] != testAnnotations().SpecDigest ||
		im.Annotations[AnnotationVendor] != "platform" {
		t.Errorf("index annotations = %v", im.Annotations)
	}
	if _, ok := im.Annotations[AnnotationLayers]; ok {
		t.Errorf("per-platform layer record on the index")
	}

	d1, _ := idx.Digest()
	d2, _ := testIndex(t).Digest()
	if d1 != d2 {
		t.Errorf("same inputs gave index digests %s and %s", d1, d2)
	}
}

func TestIndexErrors(t *testing.T) {
	docker, err := random.Image(32, 1)
	if err != nil {
		t.Fatal(err)
	}
	docker, _ = mutate.ConfigFile(docker, &v1.ConfigFile{OS: "linux", Architecture: "amd64"})
	tests := []struct {
		desc   string
		images []v1.Image
		want   string
	}{
		{"none", nil, "no images"},
		{"duplicate platform", []v1.Image{testImage(t, "amd64"), testImage(t, "amd64")}, "both for linux/amd64"},
		{"docker media type", []v1.Image{docker}, "want application/vnd.oci.image.manifest.v1+json"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Index(tt.images, Annotations{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
