package image

import (
	"errors"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

func TestReadLineage(t *testing.T) {
	img := testImage(t, "amd64")
	cf, _ := img.ConfigFile()
	check := func(t *testing.T, lin *Lineage) {
		t.Helper()
		if lin.SpecDigest != testAnnotations().SpecDigest || lin.LockDigest != testAnnotations().LockDigest {
			t.Errorf("digests = %q, %q", lin.SpecDigest, lin.LockDigest)
		}
		if len(lin.Layers) != 2 {
			t.Fatalf("%d layers, want 2", len(lin.Layers))
		}
		for i, l := range lin.Layers {
			if l.DiffID != cf.RootFS.DiffIDs[i].String() {
				t.Errorf("layer %d diffID %s, config has %s", i, l.DiffID, cf.RootFS.DiffIDs[i])
			}
		}
		if lin.Layers[0].Name != "os" || lin.Layers[0].Owner != "platform <platform@example.com>" ||
			strings.Join(lin.Layers[0].Packages, ",") != "base-files=12.4+deb12u5,libc6=2.36-9+deb12u7" {
			t.Errorf("layer 0 = %+v", lin.Layers[0])
		}
	}
	t.Run("from the config label", func(t *testing.T) {
		lin, err := ReadLineage(img)
		if err != nil {
			t.Fatal(err)
		}
		check(t, lin)
	})
	t.Run("from manifest annotations when the label is gone", func(t *testing.T) {
		cf2 := cf.DeepCopy()
		delete(cf2.Config.Labels, LabelLineage)
		stripped, err := mutate.ConfigFile(img, cf2)
		if err != nil {
			t.Fatal(err)
		}
		lin, err := ReadLineage(stripped)
		if err != nil {
			t.Fatal(err)
		}
		check(t, lin)
	})
	t.Run("not built by ingot", func(t *testing.T) {
		other, err := random.Image(64, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ReadLineage(other); !errors.Is(err, ErrNoLineage) {
			t.Errorf("error %v, want ErrNoLineage", err)
		}
	})
	t.Run("corrupt label", func(t *testing.T) {
		cf2 := cf.DeepCopy()
		cf2.Config.Labels[LabelLineage] = "{not json"
		bad, _ := mutate.ConfigFile(img, cf2)
		if _, err := ReadLineage(bad); err == nil || !strings.Contains(err.Error(), LabelLineage) {
			t.Errorf("error %v, want one naming the label", err)
		}
	})
}

func FuzzReadLineage(f *testing.F) {
	f.Add(encode(Lineage{SpecDigest: "sha256:x", Layers: []LayerRecord{{Name: "os", DiffID: "sha256:y"}}}))
	f.Add(`{"layers":null}`)
	f.Add(`[]`)
	f.Add(``)
	base, err := random.Image(16, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, label string) {
		img, err := mutate.Config(base, v1.Config{Labels: map[string]string{LabelLineage: label}})
		if err != nil {
			t.Skip()
		}
		lin, err := ReadLineage(img)
		if err == nil && lin == nil {
			t.Fatal("nil lineage without error")
		}
	})
}
