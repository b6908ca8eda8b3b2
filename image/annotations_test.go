package image

import (
	"maps"
	"testing"
	"time"
)

func TestAnnotationsMap(t *testing.T) {
	a := Annotations{
		Title:      "registry.example.com/golden/base",
		Vendor:     "platform",
		BaseName:   "registry.example.com/golden/os:1",
		BaseDigest: "sha256:" + "ab",
		Extra: map[string]string{
			AnnotationTitle:    "spoofed", // computed keys win over the spec's
			AnnotationSource:   "https://git.example.com/golden",
			"com.example.tier": "gold",
		},
	}
	got := a.toMap(time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)))
	want := map[string]string{
		AnnotationCreated:    "2024-01-02T02:04:05Z",
		AnnotationTitle:      "registry.example.com/golden/base",
		AnnotationVendor:     "platform",
		AnnotationSource:     "https://git.example.com/golden",
		AnnotationBaseName:   "registry.example.com/golden/os:1",
		AnnotationBaseDigest: "sha256:ab",
		"com.example.tier":   "gold",
	}
	if !maps.Equal(got, want) {
		t.Errorf("toMap() = %v\nwant %v", got, want)
	}
	if a.Extra[AnnotationTitle] != "spoofed" {
		t.Errorf("toMap modified its input")
	}
}
