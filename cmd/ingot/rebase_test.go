package main

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/rebase"
)

func rebaseLayer(t *testing.T, path, body string) v1.Layer {
	t.Helper()
	b := layer.NewBuilder()
	if err := b.Add("test", layer.Entry{Path: path, Type: tar.TypeReg, Mode: 0o644, Body: []byte(body)}); err != nil {
		t.Fatal(err)
	}
	l, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// rebaseFixture pushes golden/base:1 and :2 (amd64) and apps/web:1 on
// base:1 to a real registry and returns its host.
func rebaseFixture(t *testing.T) string {
	t.Helper()
	testenv.RequireTool(t, "docker-registry")
	host := testenv.StartRegistry(t)
	p := v1.Platform{OS: "linux", Architecture: "amd64"}
	var base1 v1.Image
	for v := 1; v <= 2; v++ {
		img, err := image.Assemble(p, []image.LayerInfo{{Layer: rebaseLayer(t, "etc/build", fmt.Sprint(v)), Name: "os", Owner: "platform"}},
			image.Config{Env: []string{fmt.Sprintf("PATH=/v%d/bin", v)}}, time.Unix(1700000000+int64(v), 0), image.Annotations{Title: "base"})
		if err != nil {
			t.Fatal(err)
		}
		idx, err := image.Index([]v1.Image{img}, image.Annotations{Title: "base"})
		if err != nil {
			t.Fatal(err)
		}
		ref, _ := name.ParseReference(fmt.Sprintf("%s/golden/base:%d", host, v))
		if err := remote.WriteIndex(ref, idx); err != nil {
			t.Fatal(err)
		}
		if v == 1 {
			base1 = img
		}
	}
	bl, _ := base1.Layers()
	bd, _ := base1.Digest()
	app, err := image.Assemble(p, []image.LayerInfo{
		{Layer: bl[0], Name: "os", Owner: "platform", Base: true},
		{Layer: rebaseLayer(t, "app/server", "web"), Name: "app", Owner: "web"},
	}, image.Config{Env: []string{"PATH=/v1/bin", "MODE=prod"}, Entrypoint: []string{"/app/server"}}, time.Unix(1700000000, 0),
		image.Annotations{Title: "web", BaseName: host + "/golden/base:1", BaseDigest: bd.String()})
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := name.ParseReference(host + "/apps/web:1")
	if err := remote.Write(ref, app); err != nil {
		t.Fatal(err)
	}
	return host
}

func TestRebaseCommand(t *testing.T) {
	host := rebaseFixture(t)
	db := filepath.Join(t.TempDir(), "inventory.db")
	web, onto := host+"/apps/web:1", host+"/golden/base:2"
	t.Cleanup(func() { flagOutput, flagDB = "text", "" })

	out, _, err := execIngot(t, "rebase", web, "--onto", onto, "--dry-run", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "would rebase image "+web) || !strings.Contains(out, `env PATH: "/v1/bin" → "/v2/bin"`) {
		t.Errorf("dry run output:\n%s", out)
	}

	out, _, err = execIngot(t, "rebase", web, "--onto", onto, "--db", db, "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var o rebase.Outcome
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("decoding %q: %v", out, err)
	}
	if len(o.Changes) != 1 || o.NewDigest == "" || o.NewDigest == o.OldDigest || o.Changes[0].Platform != "linux/amd64" {
		t.Fatalf("outcome = %+v", o)
	}
	ref, _ := name.ParseReference(web)
	img, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	if strings.Join(cf.Config.Env, " ") != "PATH=/v2/bin MODE=prod" {
		t.Errorf("Env = %v", cf.Config.Env)
	}

	out, _, err = execIngot(t, "rebase", "--undo", web, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "moved "+web+" back") {
		t.Errorf("undo output: %s", out)
	}
	if d, _ := remote.Head(ref); d.Digest.String() != o.OldDigest {
		t.Errorf("tag at %s after --undo, want %s", d.Digest, o.OldDigest)
	}

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"rebase", web, "--db", db}, "--onto"},
			{[]string{"rebase", web, "--onto", onto, "--old-base", host + "/golden/base:2", "--db", db}, "layer 0 differs"},
			{[]string{"rebase", "--undo", host + "/apps/web@sha256:" + strings.Repeat("0", 64), "--db", db}, "moves a tag"},
		} {
			if _, _, err := execIngot(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: err %v, want %q", tc.args, err, tc.want)
			}
		}
	})
}
