package rebase

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/image"
)

func TestIndex(t *testing.T) {
	ctx := context.Background()
	v1i := goldenIndex(t, "base", 1, "amd64", "arm64")
	v2i := goldenIndex(t, "base", 2, "amd64", "arm64")
	app := appIndexOn(t, v1i, "reg.test/golden/base:1", "amd64", "arm64")

	for _, old := range []struct {
		desc string
		set  bool
	}{{"old base given", true}, {"old base from the lineage", false}} {
		t.Run(old.desc, func(t *testing.T) {
			oldIdx := v1i
			if !old.set {
				oldIdx = nil
			}
			out, changes, err := Index(ctx, app, oldIdx, v2i, WithNewBaseName("reg.test/golden/base:2"))
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 2 || changes[0].Platform != "linux/amd64" || changes[1].Platform != "linux/arm64/v8" {
				t.Fatalf("changes = %+v", changes)
			}
			im, err := out.IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Manifests) != 2 || im.Manifests[1].Platform == nil || im.Manifests[1].Platform.Architecture != "arm64" {
				t.Fatalf("manifests = %+v", im.Manifests)
			}
			v2d, _ := v2i.Digest()
			if im.Annotations[image.AnnotationBaseDigest] != v2d.String() || im.Annotations[image.AnnotationBaseName] != "reg.test/golden/base:2" {
				t.Errorf("index annotations = %v", im.Annotations)
			}
			for i, d := range im.Manifests {
				if d.Digest.String() != changes[i].NewDigest {
					t.Errorf("manifest %d is %s, change says %s", i, d.Digest, changes[i].NewDigest)
				}
				img, err := out.Image(d.Digest)
				if err != nil {
					t.Fatal(err)
				}
				base, _ := image.SelectImage(v2i, *d.Platform)
				if got, want := layerDigests(t, img)[0], layerDigests(t, base)[0]; got != want {
					t.Errorf("%s: bottom layer %s, want the new base's %s", changes[i].Platform, got, want)
				}
			}
		})
	}

	t.Run("a platform the new base lacks is named", func(t *testing.T) {
		amd := goldenIndex(t, "base", 2, "amd64")
		_, _, err := Index(ctx, app, v1i, amd, WithNewBaseName("reg.test/golden/base:2"))
		if !errors.Is(err, ErrPlatform) || !strings.Contains(err.Error(), "linux/arm64/v8") {
			t.Fatalf("err = %v, want ErrPlatform naming linux/arm64/v8", err)
		}
	})

	t.Run("PlanIndex builds nothing and agrees", func(t *testing.T) {
		changes, err := PlanIndex(ctx, app, v1i, v2i, WithNewBaseName("reg.test/golden/base:2"))
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 || changes[0].NewDigest != "" || changes[1].AppLayers != 1 || len(changes[0].Env) == 0 || changes[0].Created == "" {
			t.Errorf("changes = %+v", changes)
		}
	})
}
