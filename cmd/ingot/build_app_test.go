package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/internal/testenv"
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
