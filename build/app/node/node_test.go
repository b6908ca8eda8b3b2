package node

// Real-component tests: the sample Node.js web application
// (testdata/apps/node-web, one real dependency fetched from the npm registry
// by npm ci) is built onto the examples/nodejs golden base, built once per
// test binary from the real Debian archive (through the user's download
// cache), and, as root, run with runc in a network namespace the test
// creates.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

// shared is the golden nodejs base (amd64 and arm64) and the sample
// application built on it, both built once per test binary.
var shared = &exampletest.Fixture{
	Example: "nodejs", Archs: []string{"amd64", "arm64"}, Tools: []string{"npm"},
	App:     func(t testing.TB) string { return exampletest.CopyApp(t, "node-web") },
	Options: []app.Option{app.WithBuilders(New()), app.WithOwner("shop <shop@example.com>"), app.WithName("node-web")},
}

func TestNodeWebImage(t *testing.T) {
	base, web := shared.Get(t)
	if web.Kind != "node" || len(web.Images) != 2 {
		t.Fatalf("kind %s, %d images, want node and 2", web.Kind, len(web.Images))
	}
	if err := validate.Index(web.Index); err != nil {
		t.Fatalf("invalid index: %v", err)
	}
	var depsDigests []string
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			img := exampletest.Image(t, web.Index, arch)
			bimg := exampletest.Image(t, base.Index, arch)
			m, _ := img.Manifest()
			bm, _ := bimg.Manifest()
			if len(m.Layers) != len(bm.Layers)+2 {
				t.Fatalf("%d layers, want the base's %d, deps and app", len(m.Layers), len(bm.Layers))
			}
			for i, l := range bm.Layers {
				if m.Layers[i].Digest != l.Digest {
					t.Errorf("layer %d is %s, want the base's %s untouched", i, m.Layers[i].Digest, l.Digest)
				}
			}
			lin, err := image.ReadLineage(img)
			if err != nil {
				t.Fatal(err)
			}
			n := len(lin.Layers)
			deps, appl := lin.Layers[n-2], lin.Layers[n-1]
			if deps.Name != "deps" || appl.Name != "app" || deps.Base || appl.Base {
				t.Fatalf("top layers %s (base %v), %s (base %v), want deps and app", deps.Name, deps.Base, appl.Name, appl.Base)
			}
			if got := strings.Join(deps.Packages, " "); got != "ms=2.1.3" {
				t.Errorf("deps packages %q, want ms=2.1.3 (no dev dependency)", got)
			}
			depsDigests = append(depsDigests, m.Layers[n-2].Digest.String())

			layers, _ := img.Layers()
			df := exampletest.LayerFiles(t, layers[n-2])
			if got := strings.Join(exampletest.Names(df), " "); got != "app/ app/node_modules/ app/node_modules/ms/ app/node_modules/ms/index.js app/node_modules/ms/license.md app/node_modules/ms/package.json app/node_modules/ms/readme.md" {
				t.Errorf("deps layer holds %s", got)
			}
			af := exampletest.LayerFiles(t, layers[n-1])
			if got := strings.Join(exampletest.Names(af), " "); got != "app/ app/.dockerignore app/package-lock.json app/package.json app/server.js" {
				t.Errorf("app layer holds %s (README.md is in .dockerignore)", got)
			}
			bcf, _ := bimg.ConfigFile()
			for name, f := range df {
				if f.Hdr.Uid != 0 || f.Hdr.Gid != 0 || !f.Hdr.ModTime.Equal(bcf.Created.Time) {
					t.Errorf("%s: uid %d gid %d mtime %s, want root and the base's creation time", name, f.Hdr.Uid, f.Hdr.Gid, f.Hdr.ModTime)
				}
			}
			cf, _ := img.ConfigFile()
			c := cf.Config
			if strings.Join(c.Entrypoint, " ") != "/usr/bin/node /app/server.js" || len(c.Cmd) != 0 || c.WorkingDir != "/app" || c.User != "65532:65532" {
				t.Errorf("entrypoint %q cmd %q workdir %q user %q", c.Entrypoint, c.Cmd, c.WorkingDir, c.User)
			}
			if !slices.Contains(c.Env, "NODE_ENV=production") {
				t.Errorf("env %q lacks NODE_ENV=production", c.Env)
			}
		})
	}
	if len(depsDigests) == 2 && depsDigests[0] != depsDigests[1] {
		t.Errorf("the deps layer of a pure JavaScript lock differs between architectures: %s", depsDigests)
	}
}

func TestNodeWebRuns(t *testing.T) {
	_, web := shared.Get(t)
	out, stderr := exampletest.Serve(t, exampletest.Image(t, web.Index, "amd64"), 8080, "/")
	if got, want := out, "hello from node-web 1m\n\n200"; got != want {
		t.Errorf("GET / = %q, want %q", got, want)
	}
	if !strings.Contains(stderr.String(), "as uid 65532") {
		t.Errorf("the server does not run as 65532: %s", stderr.String())
	}
}

func TestNodeWebReproducible(t *testing.T) {
	base, web := shared.Get(t)
	// Another path and a fresh builder: npm runs again.
	again, err := app.Build(t.Context(), exampletest.CopyApp(t, "node-web"), base,
		app.WithBuilders(New()), app.WithOwner("shop <shop@example.com>"), app.WithName("node-web"))
	if err != nil {
		t.Fatal(err)
	}
	if again.IndexDigest != web.IndexDigest {
		t.Errorf("rebuild gives index %s, want %s", again.IndexDigest, web.IndexDigest)
		for i := range web.Images {
			for j := range web.Images[i].Layers {
				t.Logf("%s %s: %s vs %s", web.Images[i].Platform, web.Images[i].Layers[j].Name, web.Images[i].Layers[j].Digest, again.Images[i].Layers[j].Digest)
			}
		}
	}
}

func TestNodeWebChangeOnlyAppLayer(t *testing.T) {
	base, web := shared.Get(t)
	dir := exampletest.CopyApp(t, "node-web")
	src := filepath.Join(dir, "server.js")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, append(b, []byte("// changed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	// A project .npmrc configures npm but stays out of the image.
	if err := os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("fund=false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	changed, err := app.Build(t.Context(), dir, base, app.WithBuilders(New()),
		app.WithOwner("shop <shop@example.com>"), app.WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := exampletest.Image(t, changed.Index, "amd64").Layers()
	if files := exampletest.LayerFiles(t, layers[len(layers)-1]); len(files) != 5 || files["app/.npmrc"].Hdr != nil {
		t.Errorf("app layer holds %s, want no .npmrc", exampletest.Names(files))
	}
	before, after := web.Images[0], changed.Images[0]
	if before.Platform != "linux/amd64" || after.Platform != "linux/amd64" {
		t.Fatalf("platforms %s, %s", before.Platform, after.Platform)
	}
	n := len(before.Layers)
	if len(after.Layers) != n {
		t.Fatalf("%d layers, want %d", len(after.Layers), n)
	}
	for i := range n - 1 {
		if before.Layers[i].Digest != after.Layers[i].Digest {
			t.Errorf("layer %d (%s) changed: %s -> %s", i, before.Layers[i].Name, before.Layers[i].Digest, after.Layers[i].Digest)
		}
	}
	if before.Layers[n-1].Digest == after.Layers[n-1].Digest {
		t.Error("the app layer did not change")
	}
}

func TestBadInput(t *testing.T) {
	base, _ := shared.Get(t)

	unsynced := exampletest.CopyApp(t, "node-web")
	writeJSON(t, filepath.Join(unsynced, "package.json"), `{"name":"node-web","version":"1.0.0","dependencies":{"ms":"2.1.3","left-pad":"1.3.0"}}`)

	native := exampletest.CopyApp(t, "node-web")
	writeTgz(t, filepath.Join(native, "native-thing-1.0.0.tgz"), map[string]string{
		"package/package.json": `{"name":"native-thing","version":"1.0.0","main":"index.js"}`,
		"package/index.js":     "module.exports = 1;\n",
		"package/binding.gyp":  `{"targets":[{"target_name":"thing","sources":["thing.cc"]}]}`,
	})
	writeJSON(t, filepath.Join(native, "package.json"), `{"name":"node-web","version":"1.0.0","main":"server.js","dependencies":{"ms":"2.1.3","native-thing":"file:native-thing-1.0.0.tgz"}}`)
	if out, err := exec.Command("npm", "install", "--package-lock-only", "--ignore-scripts", "--prefix", native).CombinedOutput(); err != nil {
		t.Fatalf("npm install --package-lock-only: %v\n%s", err, out)
	}

	noStart := exampletest.CopyApp(t, "node-web")
	writeJSON(t, filepath.Join(noStart, "package.json"), `{"name":"node-web","version":"1.0.0","scripts":{"start":"npm run serve"},"dependencies":{"ms":"2.1.3"}}`)
	if err := os.Rename(filepath.Join(noStart, "server.js"), filepath.Join(noStart, "app.js")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		desc  string
		dir   string
		base  *app.BaseIndex
		check func(t *testing.T, err error)
	}{
		{"base without node", exampletest.CopyApp(t, "node-web"), noNodeBase(t), func(t *testing.T, err error) {
			var ne *NoNodeError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), "examples/nodejs") || !strings.Contains(err.Error(), "no-node-base") {
				t.Errorf("error %v, want a NoNodeError naming the base and examples/nodejs", err)
			}
		}},
		{"native module with install scripts off", native, base, func(t *testing.T, err error) {
			var ne *NativeModuleError
			if !errors.As(err, &ne) || !slices.Equal(ne.Packages, []string{"node_modules/native-thing"}) || !strings.Contains(err.Error(), "--allow-install-scripts") {
				t.Errorf("error %v, want a NativeModuleError naming native-thing and the opt-in", err)
			}
		}},
		{"failing npm ci shows npm's output", unsynced, base, func(t *testing.T, err error) {
			var ne *NpmError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), "in sync") || !strings.Contains(err.Error(), "left-pad") {
				t.Errorf("error %v, want an NpmError with npm's complaint", err)
			}
		}},
		{"no start file", noStart, base, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "no start file") || !strings.Contains(err.Error(), "--cmd") {
				t.Errorf("error %v, want one saying there is no start file and how to give one", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := app.Build(t.Context(), tt.dir, tt.base, app.WithBuilders(New()), app.WithArchitectures("amd64"))
			tt.check(t, err)
		})
	}
}

func writeJSON(t *testing.T, p, body string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
