package rebase

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/image"
)

func TestImage(t *testing.T) {
	ctx := context.Background()
	v1b, v2b := golden(t, "base", "amd64", 1), golden(t, "base", "amd64", 2)
	app := appOn(t, v1b, "reg.test/golden/base:1", "amd64")
	before, _ := app.Digest()

	out, ch, err := Image(ctx, app, v1b, v2b, WithNewBaseName("reg.test/golden/base:2"))
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := app.Digest(); after != before {
		t.Errorf("the original image changed: %s → %s", before, after)
	}
	if ch.Unchanged || ch.AppLayers != 1 || ch.OldBase.Layers != 2 || ch.NewBase.Layers != 2 {
		t.Errorf("change = %+v", ch)
	}
	if d, _ := out.Digest(); ch.NewDigest != d.String() || ch.OldDigest != before.String() {
		t.Errorf("digests in change %s → %s, want %s → %s", ch.OldDigest, ch.NewDigest, before, d)
	}

	t.Run("layers are the new base's then the app's, same blobs", func(t *testing.T) {
		want := append(layerDigests(t, v2b), layerDigests(t, app)[2:]...)
		if got := layerDigests(t, out); !slices.Equal(got, want) {
			t.Errorf("layers = %v, want %v", got, want)
		}
		ids := diffIDs(t, out)
		if ids[2] != diffIDs(t, app)[2] || ids[0] != diffIDs(t, v2b)[0] {
			t.Errorf("diffIDs = %v", ids)
		}
	})

	cf, err := out.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("config", func(t *testing.T) {
		env := envMap(cf.Config.Env)
		for k, want := range map[string]string{
			"PATH":       "/usr/local/bin:/usr/bin:/bin", // inherited: the new base's
			"BASE_BUILD": "2",
			"LANG":       "en_GB.UTF-8", // the app's own value stays
			"APP_MODE":   "prod",
		} {
			if env[k] != want {
				t.Errorf("Env %s = %q, want %q (Env %v)", k, env[k], want, cf.Config.Env)
			}
		}
		if cf.Config.User != "65532" {
			t.Errorf("User = %q, want the new base's 65532 (the app inherited the old one)", cf.Config.User)
		}
		if !slices.Equal(cf.Config.Entrypoint, []string{"/app/server"}) || !slices.Equal(cf.Config.Cmd, []string{"--serve"}) || cf.Config.WorkingDir != "/app" {
			t.Errorf("entrypoint/cmd/workdir = %v %v %q", cf.Config.Entrypoint, cf.Config.Cmd, cf.Config.WorkingDir)
		}
		if _, ok := cf.Config.ExposedPorts["8080/tcp"]; !ok {
			t.Errorf("exposed ports = %v", cf.Config.ExposedPorts)
		}
		if cf.Config.Labels["dev.example.tier"] != "golden-2" || cf.Config.Labels["dev.example.team"] != "web" {
			t.Errorf("labels = %v", cf.Config.Labels)
		}
		if !cf.Created.Time.Equal(epochV2) {
			t.Errorf("created = %s, want the later of app and new base (%s)", cf.Created.Time, epochV2)
		}
		if ch.Created != epochV2.Format(time.RFC3339) {
			t.Errorf("change created = %q", ch.Created)
		}
		if len(cf.History) != 3 || !strings.Contains(cf.History[2].CreatedBy, "layer app") || !cf.History[0].Created.Time.Equal(epochV2) {
			t.Errorf("history = %+v", cf.History)
		}
		if cf.Architecture != "amd64" || cf.OS != "linux" {
			t.Errorf("platform = %s/%s", cf.OS, cf.Architecture)
		}
	})

	t.Run("changes reported", func(t *testing.T) {
		keys := map[string]EnvChange{}
		for _, e := range ch.Env {
			keys[e.Key] = e
		}
		if keys["PATH"].New != "/usr/local/bin:/usr/bin:/bin" || keys["BASE_BUILD"].Old != "1" {
			t.Errorf("env changes = %+v", ch.Env)
		}
		if _, ok := keys["LANG"]; ok {
			t.Errorf("LANG reported changed: %+v", ch.Env)
		}
		if ch.User == nil || ch.User.New != "65532" {
			t.Errorf("user change = %+v", ch.User)
		}
	})

	t.Run("annotations and lineage", func(t *testing.T) {
		m, err := out.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		v2d, _ := v2b.Digest()
		a := m.Annotations
		if a[image.AnnotationBaseName] != "reg.test/golden/base:2" || a[image.AnnotationBaseDigest] != v2d.String() {
			t.Errorf("base annotations = %q %q", a[image.AnnotationBaseName], a[image.AnnotationBaseDigest])
		}
		if a[image.AnnotationTitle] != "web" || a[image.AnnotationCreated] != epochV2.Format(time.RFC3339) {
			t.Errorf("title/created = %q %q", a[image.AnnotationTitle], a[image.AnnotationCreated])
		}
		if m.Layers[0].Annotations[image.AnnotationLayerName] != "os" || m.Layers[2].Annotations[image.AnnotationLayerName] != "app" {
			t.Errorf("layer annotations = %v %v", m.Layers[0].Annotations, m.Layers[2].Annotations)
		}
		lin, err := image.ReadLineage(out)
		if err != nil {
			t.Fatal(err)
		}
		if lin.BaseDigest != v2d.String() || len(lin.Layers) != 3 || !lin.Layers[0].Base || !lin.Layers[1].Base || lin.Layers[2].Base {
			t.Fatalf("lineage = %+v", lin)
		}
		if lin.Layers[0].DiffID != diffIDs(t, v2b)[0].String() || !slices.Contains(lin.Layers[0].Packages, "libssl3=3.0.15-1~deb12u1") {
			t.Errorf("base layer record = %+v", lin.Layers[0])
		}
		if lin.Layers[2].Owner != "web <web@example.org>" {
			t.Errorf("app layer record = %+v", lin.Layers[2])
		}
	})

	t.Run("a rebased image rebases again from its lineage", func(t *testing.T) {
		back, ch, err := Image(ctx, out, v2b, v1b, WithNewBaseName("reg.test/golden/base:1"))
		if err != nil {
			t.Fatal(err)
		}
		if got := layerDigests(t, back); got[0] != layerDigests(t, v1b)[0] || got[2] != layerDigests(t, app)[2] {
			t.Errorf("layers = %v", got)
		}
		if envOf(t, back)["PATH"] != "/usr/bin:/bin" || ch.Unchanged {
			t.Errorf("PATH = %q", envOf(t, back)["PATH"])
		}
	})

	t.Run("same inputs give the same digest", func(t *testing.T) {
		again, _, err := Image(ctx, app, v1b, v2b, WithNewBaseName("reg.test/golden/base:2"))
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := again.Digest(); d.String() != ch.NewDigest {
			t.Errorf("digest %s, first time %s", d, ch.NewDigest)
		}
	})
}

func TestImageLineageOnly(t *testing.T) {
	v1b, v2b := golden(t, "base", "amd64", 1), golden(t, "base", "amd64", 2)
	app := appOn(t, v1b, "reg.test/golden/base:1", "amd64")
	out, ch, err := Image(context.Background(), app, nil, v2b, WithNewBaseName("reg.test/golden/base:2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Warnings) == 0 {
		t.Error("no warning that the old base's config is unknown")
	}
	env := envOf(t, out)
	if env["PATH"] != "/usr/bin:/bin" || env["APP_MODE"] != "prod" {
		t.Errorf("Env = %v: without the old base the app keeps its values", env)
	}
	if got := layerDigests(t, out); got[0] != layerDigests(t, v2b)[0] || len(got) != 3 {
		t.Errorf("layers = %v", got)
	}
}

func TestImageUnchanged(t *testing.T) {
	v1b := golden(t, "base", "amd64", 1)
	app := appOn(t, v1b, "reg.test/golden/base:1", "amd64")
	out, ch, err := Image(context.Background(), app, nil, v1b, WithNewBaseName("reg.test/golden/base:1"))
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Unchanged || out != app || ch.NewDigest != ch.OldDigest {
		t.Errorf("change = %+v", ch)
	}
}
