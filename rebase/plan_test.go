package rebase

import (
	"context"
	"errors"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

func TestPlanRefusals(t *testing.T) {
	v1b, v2b := golden(t, "base", "amd64", 1), golden(t, "base", "amd64", 2)
	app := appOn(t, v1b, "reg.test/golden/base:1", "amd64")
	arm := golden(t, "base", "arm64", 2)
	other := golden(t, "other", "amd64", 2)

	tests := []struct {
		desc             string
		orig, old, newer v1.Image
		opts             []Option
		want             error
		says             []string
	}{
		{"the image is not on the claimed old base", app, v2b, v2b, nil, ErrNotOnBase,
			[]string{"layer 0 differs", diffIDs(t, v2b)[0].String(), diffIDs(t, v1b)[0].String()}},
		{"the new base is for another architecture", app, v1b, arm, nil, ErrPlatform,
			[]string{"linux/amd64", "linux/arm64/v8"}},
		{"the new base is another golden image", app, v1b, other, nil, ErrOtherBase,
			[]string{`"base"`, `"other"`, "--force"}},
		{"a golden base itself has no base layers", v1b, nil, v2b, nil, ErrNoOldBase,
			[]string{"--old-base"}},
		{"the base itself is not an app on it", v1b, v1b, v2b, nil, ErrNotOnBase,
			[]string{"no layers of its own"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := Plan(context.Background(), tc.orig, tc.old, tc.newer, tc.opts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}

	t.Run("the first differing layer is named", func(t *testing.T) {
		_, err := Plan(context.Background(), app, v2b, v2b)
		var le *LayerError
		if !errors.As(err, &le) {
			t.Fatalf("err = %v, want a *LayerError", err)
		}
		if le.Index != 0 || le.Expected != diffIDs(t, v2b)[0].String() || le.Found != diffIDs(t, v1b)[0].String() {
			t.Errorf("LayerError = %+v", le)
		}
	})

	t.Run("force accepts another golden image with a warning", func(t *testing.T) {
		ch, err := Plan(context.Background(), app, v1b, other, WithForce(true))
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Warnings) != 1 || !strings.Contains(ch.Warnings[0], "forced") {
			t.Errorf("warnings = %q", ch.Warnings)
		}
	})
}

// debianLike is an image ingot did not build: no lineage, no title.
func debianLike(t testing.TB, version string, created int64) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, imagetest.FilesLayer(t, map[string]string{"etc/debian_version": version + "\n"}))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN=" + version}
	cf.Config.Cmd = []string{"bash"}
	cf.Created.Time = epochV1.Add(timeSeconds(created))
	cf.History = []v1.History{{CreatedBy: "ADD rootfs.tar.xz /"}, {CreatedBy: `CMD ["bash"]`, EmptyLayer: true}}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestForeignImage(t *testing.T) {
	deb12, deb125 := debianLike(t, "12.0", 0), debianLike(t, "12.5", 100)
	app, err := mutate.Append(deb12, mutate.Addendum{Layer: imagetest.FilesLayer(t, map[string]string{"srv/app": "x"}), History: v1.History{CreatedBy: "COPY app /srv/app"}})
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := app.ConfigFile()
	cf = cf.DeepCopy()
	cf.Config.Cmd = []string{"/srv/app"}
	if app, err = mutate.ConfigFile(app, cf); err != nil {
		t.Fatal(err)
	}

	t.Run("without names the bases cannot be compared", func(t *testing.T) {
		if _, err := Plan(context.Background(), app, deb12, deb125); !errors.Is(err, ErrOtherBase) {
			t.Fatalf("err = %v, want ErrOtherBase", err)
		}
	})
	t.Run("without an old base there is nothing to check against", func(t *testing.T) {
		if _, err := Plan(context.Background(), app, nil, deb125); !errors.Is(err, ErrNoOldBase) {
			t.Fatalf("err = %v, want ErrNoOldBase", err)
		}
	})
	out, ch, err := Image(context.Background(), app, deb12, deb125,
		WithOldBaseName("mirror.test/debian:12"), WithNewBaseName("mirror.test/debian:12.5"))
	if err != nil {
		t.Fatal(err)
	}
	if got := layerDigests(t, out); len(got) != 2 || got[0] != layerDigests(t, deb125)[0] || got[1] != layerDigests(t, app)[1] {
		t.Errorf("layers = %v", got)
	}
	ocf, _ := out.ConfigFile()
	if envMap(ocf.Config.Env)["DEBIAN"] != "12.5" || ocf.Config.Cmd[0] != "/srv/app" {
		t.Errorf("config = %+v", ocf.Config)
	}
	if len(ocf.History) != 3 || ocf.History[2].CreatedBy != "COPY app /srv/app" {
		t.Errorf("history = %+v", ocf.History)
	}
	if ch.OldBase.Name != "mirror.test/debian:12" {
		t.Errorf("old base = %+v", ch.OldBase)
	}
}
