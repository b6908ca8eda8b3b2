package static

// Real-component tests: a static site (testdata/site) is built onto the
// examples/nginx golden base, built once per test binary from the real
// Debian archive (through the user's download cache), and, as root, served
// by the base's nginx under runc in a network namespace the test creates.
// The command builder runs nginx -t on the same base, checking the
// configuration the static builder adds to bases that lack one.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/command"
	"github.com/ingot-dev/ingot/internal/exampletest"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/run"
)

func TestMain(m *testing.M) { exampletest.Main(m, "ingot-app-static-test-") }

// shared is the golden nginx base (amd64) and testdata/site built on it,
// both built once per test binary.
var shared = &exampletest.Fixture{
	Example: "nginx", Archs: []string{"amd64"},
	App:     func(testing.TB) string { return filepath.Join("testdata", "site") },
	Options: []app.Option{app.WithBuilders(New()), app.WithOwner("web <web@example.com>"), app.WithName("site")},
}

func TestSiteImage(t *testing.T) {
	base, site := shared.Get(t)
	if site.Kind != "static" || len(site.Images) != 1 {
		t.Fatalf("kind %s, %d images", site.Kind, len(site.Images))
	}
	img := exampletest.Image(t, site.Index, "amd64")
	bimg := exampletest.Image(t, base.Index, "amd64")
	m, _ := img.Manifest()
	bm, _ := bimg.Manifest()
	if len(m.Layers) != len(bm.Layers)+1 {
		t.Fatalf("%d layers, want the base's %d and the app", len(m.Layers), len(bm.Layers))
	}
	layers, _ := img.Layers()
	files := exampletest.LayerFiles(t, layers[len(layers)-1])
	if got := strings.Join(exampletest.Names(files), " "); got != "usr/ usr/share/ usr/share/nginx/ usr/share/nginx/html/ usr/share/nginx/html/index.html usr/share/nginx/html/style.css" {
		t.Errorf("app layer holds %s", got)
	}
	cf, _ := img.ConfigFile()
	bcf, _ := bimg.ConfigFile()
	if strings.Join(cf.Config.Entrypoint, " ") != strings.Join(bcf.Config.Entrypoint, " ") || cf.Config.User != "65532:65532" {
		t.Errorf("entrypoint %q user %q, want the base's %q and nonroot", cf.Config.Entrypoint, cf.Config.User, bcf.Config.Entrypoint)
	}
	if _, ok := cf.Config.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("exposed ports %v, want 8080/tcp", cf.Config.ExposedPorts)
	}
	again, err := app.Build(t.Context(), filepath.Join("testdata", "site"), base,
		app.WithBuilders(New()), app.WithOwner("web <web@example.com>"), app.WithName("site"))
	if err != nil {
		t.Fatal(err)
	}
	if again.IndexDigest != site.IndexDigest {
		t.Errorf("rebuild gives %s, want %s", again.IndexDigest, site.IndexDigest)
	}
}

func TestSiteServed(t *testing.T) {
	_, site := shared.Get(t)
	want, err := os.ReadFile(filepath.Join("testdata", "site", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	got, stderr := exampletest.Serve(t, exampletest.Image(t, site.Index, "amd64"), 8080, "/")
	if got != string(want)+"\n200" {
		t.Errorf("GET / = %q, want the page and 200\n%s", got, stderr.String())
	}
}

func TestCommandRuns(t *testing.T) {
	base, _ := shared.Get(t)
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc")
	words, err := command.Split(`/usr/sbin/nginx -e stderr -t -c "/app/check.conf"`)
	if err != nil {
		t.Fatal(err)
	}
	// The directory holds the configuration the builder adds to bases with
	// Debian's stock one: nginx -t checks it for real, as nonroot.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "check.conf"), []byte(defaultConf(8080, DefaultRoot, true)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := app.Build(t.Context(), dir, base,
		app.WithBuilders(New()), app.WithFallback(command.New()), app.WithCmd(words...))
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "command" {
		t.Fatalf("kind %s, want command", res.Kind)
	}
	img := exampletest.Image(t, res.Index, "amd64")
	var out bytes.Buffer
	code, err := run.Run(t.Context(), img, run.WithStdout(&out), run.WithStderr(&out))
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out.String())
	}
	if !strings.Contains(out.String(), "configuration file /app/check.conf test is successful") {
		t.Errorf("nginx -t said:\n%s", out.String())
	}
}
