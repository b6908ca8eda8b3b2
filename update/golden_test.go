package update

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/golang"
	"github.com/ingot-dev/ingot/build/app/node"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/image/layer"
	imgsource "github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/run"
	"github.com/ingot-dev/ingot/sbom"
)

const goldenSpec = `name: HOST/golden/base
owner:
  team: platform
  contact: platform@example.com
source:
  suites: [bookworm, bookworm-updates, bookworm-security]
  components: [main]
architectures: [ARCH]
layers:
  - name: os
    packages: [base-files, libc6]
  - name: tls
    owner:
      team: security
      contact: security@example.com
    packages: [libssl3]
  - name: runtime
    packages: [nodejs]
`

// TestUpdateGolden is the whole story on the real archive and a real
// registry: a golden Node.js base locked to the bookworm point release's
// libssl3, the Go and Node.js samples built on it, then Refresh
// (bookworm-security's libssl3 and the CVEs it closes), Rebuild and Fleet;
// the rebased apps run with runc and show the new OpenSSL (a probe layer on
// the Go app, node -p process.versions.openssl on the Node.js one), their
// SBOMs list it and their layers were not uploaded again.
func TestUpdateGolden(t *testing.T) {
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "docker-registry", "go")
	ctx := context.Background()
	arch := map[string]string{"amd64": "amd64", "arm64": "arm64"}[runtime.GOARCH]
	if arch == "" {
		t.Skipf("no golden test for %s", runtime.GOARCH)
	}
	host := testenv.StartRegistry(t)
	dir := t.TempDir()
	specPath := filepath.Join(dir, "ingot.yaml")
	text := strings.NewReplacer("HOST", host, "ARCH", arch).Replace(goldenSpec)
	if err := os.WriteFile(specPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(specPath)
	if err != nil {
		t.Fatal(err)
	}
	cacheDir, err := fetch.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := fetch.New(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	src, err := build.Source(s, repo.SystemSource)
	if err != nil {
		t.Fatal(err)
	}
	client := repo.New(cache)

	// The lock as it was before the security update: every package as today
	// but libssl3 from the bookworm point release.
	full, err := lock.Generate(ctx, client, src, build.LockRequest(s, src))
	if err != nil {
		t.Fatal(err)
	}
	point := src
	point.Suites = []string{"bookworm"}
	pl, err := lock.Generate(ctx, client, point, lock.Request{Packages: []string{"libssl3"}, Architectures: []string{arch}})
	if err != nil {
		t.Fatal(err)
	}
	oldSSL := pick(t, pl, arch, "libssl3")
	newSSL := pick(t, full, arch, "libssl3")
	if oldSSL.Version == newSSL.Version {
		t.Skipf("bookworm-security has no libssl3 newer than the point release's %s", oldSSL.Version)
	}
	for i, a := range full.Architectures {
		for j, p := range a.Packages {
			if p.Name == "libssl3" {
				full.Architectures[i].Packages[j] = oldSSL
			}
		}
	}
	if err := full.WriteFile(Lockfile(s)); err != nil {
		t.Fatal(err)
	}
	t.Logf("libssl3 %s (bookworm) -> %s (%s)", oldSSL.Version, newSSL.Version, newSSL.Suite)

	tag := host + "/golden/base:latest"
	store := openStore(t)
	if _, err := build.Golden(ctx, s, build.WithCache(cache), build.WithInventory(store), build.WithPush(), build.WithTag(tag), build.WithInsecure(true)); err != nil {
		t.Fatal(err)
	}
	base, err := app.OpenBase(ctx, tag, imgsource.WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]string{"go-web": host + "/apps/go-web:1", "node-web": host + "/apps/node-web:1"}
	oldApps := map[string]v1.Image{}
	appLayers := map[string]v1.Hash{}
	logPath := testenv.RegistryLog(t, host)
	for _, sample := range []string{"go-web", "node-web"} {
		appDir := filepath.Join(t.TempDir(), sample)
		if err := os.CopyFS(appDir, os.DirFS("../testdata/apps/"+sample)); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Build(ctx, appDir, base, app.WithBuilders(golang.New(), node.New()), app.WithPush(), app.WithTag(apps[sample]), app.WithInsecure(true)); err != nil {
			t.Fatalf("building %s: %v", sample, err)
		}
		ingest(t, store, apps[sample])
		img, err := remote.Image(mustRef(t, apps[sample]))
		if err != nil {
			t.Fatal(err)
		}
		oldApps[sample], appLayers[sample] = img, topLayer(t, img)
		if n := countUploads(t, logPath, appLayers[sample]); n != 1 {
			t.Fatalf("the %s layer was uploaded %d times by the setup, want once", sample, n)
		}
	}

	// The update.
	lu, err := Refresh(ctx, s, "", WithCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(lu.Changes, func(c lock.Change) bool { return c.Name() == "libssl3" })
	if i < 0 || lu.Changes[i].Old.Version != oldSSL.Version || lu.Changes[i].New.Version != newSSL.Version {
		t.Fatalf("changes = %v, want libssl3 %s -> %s", lu.Changes, oldSSL.Version, newSSL.Version)
	}
	if len(lu.CVEs) == 0 || !slices.ContainsFunc(lu.Fixes, func(f Fix) bool { return f.Package == "libssl3" }) {
		t.Fatalf("the update closes no CVE of libssl3: fixes %+v", lu.Fixes)
	}
	t.Logf("%s closes %d CVEs: %v", lu.Changes[i], len(lu.CVEs), lu.CVEs)
	res, err := Rebuild(ctx, s, lu, tag, build.WithCache(cache), build.WithInventory(store), build.WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	targets, err := Targets(ctx, store, s.Name, digests(t, res.Index))
	if err != nil {
		t.Fatal(err)
	}
	// Both apps are on the build of the old lock: each closes what the lock
	// update closes, libssl3's fixes among them.
	if targets, err = lu.TargetCVEs(ctx, store, targets); err != nil {
		t.Fatal(err)
	}
	sslFix := lu.Fixes[slices.IndexFunc(lu.Fixes, func(f Fix) bool { return f.Package == "libssl3" })]
	for _, tg := range targets {
		if tg.Skip != "" {
			continue
		}
		if !slices.Equal(tg.CVEs, lu.CVEs) {
			t.Errorf("%s closes %v, want the lock update's %v", tg.Image, tg.CVEs, lu.CVEs)
		}
		for _, c := range sslFix.CVEs {
			if !slices.Contains(tg.CVEs, c) {
				t.Errorf("%s does not close %s (libssl3 %s)", tg.Image, c, sslFix.New)
			}
		}
	}
	rep, err := Fleet(ctx, mustRef(t, tag), targets, WithInventory(store))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebased != 2 || len(rep.Results[0].CVEs) == 0 {
		t.Fatalf("fleet = %+v", rep)
	}

	newApps := map[string]v1.Image{}
	for sample, ref := range apps {
		newApp, err := remote.Image(mustRef(t, ref))
		if err != nil {
			t.Fatal(err)
		}
		newApps[sample] = newApp
		if topLayer(t, newApp) != appLayers[sample] {
			t.Errorf("the rebased %s's top layer changed", sample)
		}
		if n := countUploads(t, logPath, appLayers[sample]); n != 1 {
			t.Errorf("the %s layer was uploaded %d times, want once (by the setup)", sample, n)
		}
		doc, err := sbom.FromImage(ctx, newApp)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(doc.Packages, func(p sbom.Package) bool { return p.Name == "libssl3" && p.Version == newSSL.Version }) {
			t.Errorf("the rebased %s's packages lack libssl3 %s", sample, newSSL.Version)
		}
		hits, err := store.WhoHas(ctx, inventory.Query{Name: "libssl3"})
		if err != nil {
			t.Fatal(err)
		}
		nd, _ := newApp.Digest()
		if !slices.ContainsFunc(hits, func(h inventory.Hit) bool { return h.Image.Digest == nd.String() && h.Version == newSSL.Version }) {
			t.Errorf("the inventory does not record libssl3 %s in the rebased %s (%s)", newSSL.Version, sample, nd)
		}
	}

	// Run them: a probe layer on the Go app shows the file system's OpenSSL
	// before and after; node shows the OpenSSL it loaded.
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc")
	probe := probeLayer(t)
	before := runProbe(t, oldApps["go-web"], probe)
	after := runProbe(t, newApps["go-web"], probe)
	t.Logf("probe before: %q, after: %q", before, after)
	if !strings.Contains(before, "libssl3 "+oldSSL.Version+"\n") || !strings.Contains(after, "libssl3 "+newSSL.Version+"\n") {
		t.Errorf("probe before %q, after %q; want libssl3 %s then %s", before, after, oldSSL.Version, newSSL.Version)
	}
	upstream, _, _ := strings.Cut(newSSL.Version, "-")
	if !strings.Contains(after, "OpenSSL "+upstream+" ") {
		t.Errorf("probe found no OpenSSL %s version string in libcrypto: %q", upstream, after)
	}
	nodeSays := runNode(t, newApps["node-web"])
	t.Logf("node -p process.versions.openssl on the rebased app: %q", nodeSays)
	if strings.TrimSpace(nodeSays) != upstream {
		t.Errorf("node reports OpenSSL %q, want %s", nodeSays, upstream)
	}
}

func pick(t *testing.T, l *lock.Lock, arch, name string) lock.Package {
	t.Helper()
	for _, p := range l.Arch(arch) {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s is not in the lock for %s", name, arch)
	return lock.Package{}
}

func topLayer(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ls[len(ls)-1].Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// probeLayer compiles testdata/probe statically into a layer at /debug/probe.
func probeLayer(t *testing.T) v1.Layer {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "probe")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./testdata/probe")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, out)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	lb := layer.NewBuilder()
	if err := lb.Add("probe", layer.Entry{Path: "debug/probe", Type: tar.TypeReg, Mode: 0o755, Body: b}); err != nil {
		t.Fatal(err)
	}
	l, err := lb.Layer()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// runNode runs node -p process.versions.openssl in img.
func runNode(t *testing.T, img v1.Image) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code, err := run.Run(context.Background(), img, run.WithEntrypoint([]string{"node"}), run.WithArgs([]string{"-p", "process.versions.openssl"}),
		run.WithStdout(&out), run.WithStderr(&errOut), run.WithNetwork("none"))
	if err != nil || code != 0 {
		t.Fatalf("running node: exit %d, %v\n%s", code, err, errOut.String())
	}
	return out.String()
}

func runProbe(t *testing.T, img v1.Image, probe v1.Layer) string {
	t.Helper()
	withProbe, err := mutate.AppendLayers(img, probe)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code, err := run.Run(context.Background(), withProbe, run.WithEntrypoint([]string{"/debug/probe"}), run.WithArgs([]string{}),
		run.WithStdout(&out), run.WithStderr(&errOut), run.WithNetwork("none"))
	if err != nil || code != 0 {
		t.Fatalf("running the probe: exit %d, %v\n%s", code, err, errOut.String())
	}
	return out.String()
}
