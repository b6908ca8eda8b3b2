package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
)

// goWebDir copies the sample Go application to a fresh directory.
func goWebDir(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "go-web")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "testdata", "apps", "go-web"))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestBuildAppCommand(t *testing.T) {
	testenv.RequireTool(t, "go")
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	t.Setenv("SOURCE_DATE_EPOCH", "")
	specDir := buildSpecDir(t, "")
	src := goWebDir(t)
	work := t.TempDir()
	t.Chdir(work)
	if _, stderr, err := execIngot(t, "build", "-f", filepath.Join(specDir, "ingot.yaml"), "--layout", "base"); err != nil {
		t.Fatalf("building the base: %v\n%s", err, stderr)
	}

	stdout, stderr, err := execIngot(t, "build", src, "--base", "oci:base", "--owner", "payments <pay@example.com>", "-o", "json")
	if err != nil {
		t.Fatalf("build DIR: %v\n%s", err, stderr)
	}
	var res app.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, stdout)
	}
	if res.Kind != "go" || res.Name != "go-web" || res.Base != "oci:base" || !strings.HasPrefix(res.IndexDigest, "sha256:") ||
		res.Layout != filepath.Join("out", "go-web") || len(res.Images) != 1 {
		t.Fatalf("result %+v", res)
	}
	img := res.Images[0]
	var layers []string
	for _, l := range img.Layers {
		layers = append(layers, l.Name)
	}
	if img.Platform != "linux/amd64" || !slices.Equal(img.Entrypoint, []string{"/app/go-web"}) || img.User != "65532:65532" ||
		strings.Join(layers, " ") != "os app system app" || !img.Layers[0].Base || img.Layers[3].Base || img.Layers[3].Owner != "payments <pay@example.com>" {
		t.Errorf("image %+v", img)
	}
	if _, err := os.Stat(filepath.Join(work, "out", "go-web", "index.json")); err != nil {
		t.Errorf("default layout: %v", err)
	}

	t.Run("text, base from a spec, tarball, epoch", func(t *testing.T) {
		t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
		stdout, stderr, err := execIngot(t, "build", src, "--base-spec", filepath.Join(specDir, "ingot.yaml"), "--tarball", "web.tar", "--tag", "registry.example.com/payments/web:1")
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		for _, want := range []string{"built go-web (go application) on registry.example.com/golden/hello", "linux/amd64", `entrypoint ["/app/go-web"], user 65532:65532`, "base os", "app  app", "tarball web.tar"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, stdout)
			}
		}
		if fi, err := os.Stat("web.tar"); err != nil || fi.Size() == 0 {
			t.Errorf("tarball: %v", err)
		}
	})

	t.Run("a pushed app is recorded in the inventory, with --no-inventory not", func(t *testing.T) {
		host := testenv.StartRegistry(t)
		dbs := t.TempDir()
		ref := host + "/apps/web:1"
		t.Setenv(inventory.EnvDB, filepath.Join(dbs, "none.db"))
		if _, stderr, err := execIngot(t, "build", src, "--base", "oci:base", "--push", "--tag", ref, "--insecure", "--no-inventory"); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		if stdout, _, err := execIngot(t, "inventory", "ls", "-o", "json"); err != nil || strings.TrimSpace(stdout) != "[]" {
			t.Errorf("after --no-inventory: %s (%v), want []", stdout, err)
		}
		db := filepath.Join(dbs, "built.db")
		t.Setenv(inventory.EnvDB, db)
		stdout, stderr, err := execIngot(t, "build", src, "--base", "oci:base", "--push", "--tag", ref, "--insecure", "-o", "json")
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		var res app.Result
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		store, err := inventory.Open(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		images, err := store.Resolve(t.Context(), ref)
		if err != nil || len(images) != 1 {
			t.Fatalf("Resolve(%s) = %+v, %v; want the pushed app", ref, images, err)
		}
		im := images[0]
		if im.IndexDigest != res.IndexDigest || im.BaseDigest != res.Images[0].BaseDigest || im.Digest != res.Images[0].Digest {
			t.Errorf("recorded %+v, want index %s on base %s", im, res.IndexDigest, res.Images[0].BaseDigest)
		}
		if docs, err := store.Documents(t.Context(), []string{res.IndexDigest, im.Digest}); err != nil || len(docs) != 2 {
			t.Errorf("the inventory holds %d of the app's index and manifest (%v)", len(docs), err)
		}
	})

	tests := []struct {
		desc string
		args []string
		want string
	}{
		{"no base", []string{"build", src}, "no base image: give the golden base with --base"},
		{"two bases", []string{"build", src, "--base", "oci:base", "--base-spec", "x.yaml"}, "not both"},
		{"missing base", []string{"build", src, "--base", filepath.Join(work, "nope")}, "nope"},
		{"no application", []string{"build", t.TempDir(), "--base", "oci:base"}, "looked for go.mod (a Go module)"},
		{"spec flag with a directory", []string{"build", src, "-f", "ingot.yaml", "--base", "oci:base"}, "--file is for building a golden image from a spec"},
		{"app flag without a directory", []string{"build", "--base", "oci:base"}, "--base is for building an application"},
		{"tag without output", []string{"build", src, "--base", "oci:base", "--tag", "x/y:1"}, "add --push or --tarball"},
		{"bad epoch", []string{"build", src, "--base", "oci:base", "--source-date-epoch", "yesterday"}, "want a Unix time"},
		{"bad --main", []string{"build", src, "--base", "oci:base", "--main", "./cmd/nope"}, "cmd/nope"},
		{"two directories", []string{"build", src, src}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, _, err := execIngot(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseCmd(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"/app/run.sh --serve", []string{"/app/run.sh", "--serve"}, false},
		{`/app/run.sh 'two words'`, []string{"/app/run.sh", "two words"}, false},
		{`/app/run.sh 'unterminated`, nil, true},
		{`["/bin/sh", "-c", "echo hi there"]`, []string{"/bin/sh", "-c", "echo hi there"}, false},
		{`["/bin/sh"`, nil, true},
		{`[]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseCmd(tt.in)
			if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
				t.Errorf("parseCmd = %q, %v", got, err)
			}
		})
	}
}

// appBuild runs ingot with args and -o json and returns the result.
func appBuild(t *testing.T, args ...string) *app.Result {
	t.Helper()
	stdout, stderr, err := execIngot(t, append(args, "-o", "json", "--no-inventory")...)
	if err != nil {
		t.Fatalf("ingot %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	var res app.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, stdout)
	}
	return &res
}

// An app spec builds through the same code as ingot build DIR: the same
// values give the same index, and flags override the spec.
func TestBuildAppSpec(t *testing.T) {
	testenv.RequireTool(t, "go")
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	t.Setenv("SOURCE_DATE_EPOCH", "")
	specDir := buildSpecDir(t, "")
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "src", "go-web"), os.DirFS(goWebDir(t))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	if _, stderr, err := execIngot(t, "build", "-f", filepath.Join(specDir, "ingot.yaml"), "--layout", "base"); err != nil {
		t.Fatalf("building the base: %v\n%s", err, stderr)
	}
	writeSpec := func(dir, body string) string {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "ingot.yaml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const head = "name: registry.example.com/apps/web\nowner: {team: payments, contact: pay@example.com}\n"
	specFile := writeSpec("app", head+"app:\n  dir: ../src/go-web\n  base: ../base\n  kind: go\n")

	fromSpec := appBuild(t, "build", "-f", specFile)
	fromDir := appBuild(t, "build", "src/go-web", "--base", "base", "--name", "registry.example.com/apps/web",
		"--owner", "payments <pay@example.com>", "--layout", "dir")
	if fromSpec.IndexDigest != fromDir.IndexDigest || fromSpec.Name != "registry.example.com/apps/web" || fromSpec.Kind != "go" ||
		fromSpec.Layout != filepath.Join("out", "web") || fromSpec.Base != "base" {
		t.Errorf("from the spec %+v\nfrom the directory %+v", fromSpec, fromDir)
	}
	if l := fromSpec.Images[0].Layers; l[len(l)-1].Owner != "payments <pay@example.com>" || l[len(l)-1].Base {
		t.Errorf("app layer %+v", l[len(l)-1])
	}
	if _, err := os.Stat(filepath.Join(work, "out", "web", "index.json")); err != nil {
		t.Errorf("default layout ./out/<last name segment>: %v", err)
	}

	t.Run("flags override the spec", func(t *testing.T) {
		res := appBuild(t, "build", "-f", specFile, "--name", "registry.example.com/apps/other", "--base", "oci:base", "--layout", "other", "--kind", "auto")
		if res.Name != "registry.example.com/apps/other" || res.Base != "oci:base" || res.Layout != "other" || res.IndexDigest == fromSpec.IndexDigest {
			t.Errorf("result %+v", res)
		}
	})

	t.Run("base from a spec, sourceDateEpoch", func(t *testing.T) {
		base, err := filepath.Rel(filepath.Join(work, "app2"), filepath.Join(specDir, "ingot.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		f := writeSpec("app2", head+"sourceDateEpoch: 1700000000\napp: {dir: ../src/go-web, base: "+base+"}\n")
		res := appBuild(t, "build", "-f", f, "--tarball", "web.tar")
		want := appBuild(t, "build", "src/go-web", "--base-spec", filepath.Join(specDir, "ingot.yaml"), "--name", "registry.example.com/apps/web",
			"--owner", "payments <pay@example.com>", "--source-date-epoch", "1700000000", "--tarball", "dir.tar")
		if res.IndexDigest != want.IndexDigest || res.Base != "registry.example.com/golden/hello" || res.IndexDigest == fromSpec.IndexDigest {
			t.Errorf("result %+v, want index %s", res, want.IndexDigest)
		}
	})

	appAsBase := writeSpec("app3", head+"app: {dir: ../src/go-web, base: ../app/ingot.yaml}\n")
	bad := writeSpec("bad", head+"app: {dir: ../src/go-web, base: ../base, kind: golang}\nlayers: [{name: os, packages: [x]}]\n")
	tests := []struct {
		desc string
		args []string
		want string
	}{
		{"spec errors name the line", []string{"build", "-f", bad}, "bad/ingot.yaml:3:48: app.kind \"golang\" is not an application kind"},
		{"golden fields next to app", []string{"build", "-f", bad}, "bad/ingot.yaml:4:9: layers is not allowed next to app"},
		{"an app spec as the base", []string{"build", "-f", appAsBase}, "is an application spec: a base must be a golden spec"},
		{"--lockfile with an app spec", []string{"build", "-f", specFile, "--lockfile", "x.lock"}, "--lockfile is for building a golden image from a spec, not an application spec"},
		{"app flags with a golden spec", []string{"build", "-f", filepath.Join(specDir, "ingot.yaml"), "--base", "base"}, "--base is for building an application"},
		{"a bad command", []string{"build", "-f", specFile, "--kind", "command", "--cmd", "'x"}, "quote"},
		{"spec errors before flag errors", []string{"build", "-f", bad, "--base", "base"}, "app.kind \"golang\" is not an application kind"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, _, err := execIngot(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// The committed example builds its base from examples/base (the real
// Debian archive, through the user's download cache) and gives the same
// image as ingot build DIR on the same base.
func TestBuildAppSpecExample(t *testing.T) {
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "go")
	t.Setenv("SOURCE_DATE_EPOCH", "")
	// A copy, so that a stale lock is not rewritten in the repository.
	root := t.TempDir()
	for _, d := range []string{"examples/base", "examples/go-web", "testdata/apps/go-web"} {
		if err := os.CopyFS(filepath.Join(root, d), os.DirFS(filepath.Join("..", "..", d))); err != nil {
			t.Fatal(err)
		}
	}
	lock := filepath.Join(root, "examples", "base", "ingot.lock")
	before, err := os.ReadFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	fromSpec := appBuild(t, "build", "-f", filepath.Join(root, "examples", "go-web", "ingot.yaml"), "--arch", "amd64", "--layout", filepath.Join(out, "spec"))
	if after, _ := os.ReadFile(lock); !bytes.Equal(before, after) {
		t.Fatal("the committed lock of examples/base does not match its spec")
	}
	fromDir := appBuild(t, "build", filepath.Join(root, "testdata", "apps", "go-web"), "--base-spec", filepath.Join(root, "examples", "base", "ingot.yaml"),
		"--arch", "amd64", "--name", "registry.example.com/apps/go-web", "--owner", "payments <payments@example.com>", "--layout", filepath.Join(out, "dir"))
	if fromSpec.IndexDigest != fromDir.IndexDigest || fromSpec.Kind != "go" || fromSpec.Base != "registry.example.com/golden/base" || len(fromSpec.Images) != 1 {
		t.Errorf("from the spec %+v\nfrom the directory %+v", fromSpec, fromDir)
	}
}
