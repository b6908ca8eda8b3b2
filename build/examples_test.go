package build

// Real-archive tests: every example is built from its committed lock (the
// .debs come from the mirror of the machine's apt configuration or
// INGOT_MIRROR, through the user's download cache), unpacked and, as root
// with runc, run. Builds are shared between tests through exampleBuild.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/run"
)

// sharedDir holds what the real-archive tests share; TestMain removes it.
// The tests share the user's download cache but not its layer cache, so
// that every build is a real one and test binaries leave no layers behind.
var sharedDir string

func TestMain(m *testing.M) {
	var err error
	if sharedDir, err = os.MkdirTemp("", "ingot-build-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(sharedDir)
	os.Exit(code)
}

// example is one built example.
type example struct {
	spec   *spec.Spec
	lock   *lock.Lock
	res    *Result
	layout string
	rootfs map[string]string // arch -> unpacked root
	err    error
}

var examples = struct {
	sync.Mutex
	m map[string]*example
}{m: map[string]*example{}}

// userCache is the user's download cache, shared by every real-archive test
// (and every run of them).
func userCache(t testing.TB) *fetch.Cache {
	t.Helper()
	dir, err := fetch.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	c, err := fetch.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// copyExample copies examples/<name>'s spec and lock into dir.
func copyExample(t testing.TB, name, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ingot.yaml", "ingot.lock"} {
		b, err := os.ReadFile(filepath.Join("..", "examples", name, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "ingot.yaml")
}

// exampleBuild builds examples/<name> for archs from its committed lock,
// once per test binary, writes it as a layout and unpacks each image.
func exampleBuild(t *testing.T, name string, archs ...string) *example {
	t.Helper()
	testenv.RequireNetwork(t)
	key := name + "/" + strings.Join(archs, ",")
	examples.Lock()
	defer examples.Unlock()
	if e := examples.m[key]; e != nil {
		if e.err != nil {
			t.Fatalf("building %s: %v", key, e.err)
		}
		return e
	}
	e := &example{rootfs: map[string]string{}}
	examples.m[key] = e
	e.err = func() error {
		dir := filepath.Join(sharedDir, strings.NewReplacer("/", "-", ",", "-").Replace(key))
		s, err := spec.Load(copyExample(t, name, dir))
		if err != nil {
			return err
		}
		e.spec = s
		if e.lock, err = lock.ReadFile(filepath.Join(dir, "ingot.lock")); err != nil {
			return err
		}
		e.layout = filepath.Join(dir, "layout")
		// No layer cache: these builds are the proof that the examples build.
		e.res, err = Golden(t.Context(), s, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures(archs...), WithLayout(e.layout))
		if err != nil {
			return err
		}
		if e.res.LockWritten {
			return fmt.Errorf("the committed lock of examples/%s does not match its spec: regenerate it with `ingot build -f examples/%s/ingot.yaml`", name, name)
		}
		for _, arch := range archs {
			img, err := image.SelectImage(e.res.Index, mustPlatform(t, arch))
			if err != nil {
				return err
			}
			// The command only matters to runc; these roots are inspected.
			b, err := run.Unpack(t.Context(), img, filepath.Join(dir, "bundle-"+arch), run.WithArgs([]string{"/unused"}))
			if err != nil {
				return err
			}
			e.rootfs[arch] = b.Rootfs
		}
		return nil
	}()
	if e.err != nil {
		t.Fatalf("building %s: %v", key, e.err)
	}
	return e
}

// dpkgQuery lists the packages of an unpacked root as "name version".
func dpkgQuery(t *testing.T, rootfs string) []string {
	t.Helper()
	testenv.RequireTool(t, "dpkg-query")
	out, err := exec.Command("dpkg-query", "--admindir="+filepath.Join(rootfs, "var/lib/dpkg"), "-W", "-f", "${Package} ${Version}\n").Output()
	if err != nil {
		t.Fatalf("dpkg-query: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	slices.Sort(lines)
	return lines
}

func lockedList(l *lock.Lock, arch string) []string {
	var out []string
	for _, p := range l.Arch(arch) {
		out = append(out, p.Name+" "+p.Version)
	}
	slices.Sort(out)
	return out
}

func lockedVersion(t *testing.T, l *lock.Lock, arch, pkg string) debian.Version {
	t.Helper()
	for _, p := range l.Arch(arch) {
		if p.Name == pkg {
			return debian.MustParseVersion(p.Version)
		}
	}
	t.Fatalf("%s is not in the lock", pkg)
	return debian.Version{}
}

func TestExamples(t *testing.T) {
	tests := []struct {
		name  string
		archs []string
		check func(t *testing.T, e *example)
	}{
		{"base", []string{"amd64", "arm64"}, func(t *testing.T, e *example) {
			bundle, err := os.ReadFile(filepath.Join(e.rootfs["amd64"], "etc/ssl/certs/ca-certificates.crt"))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(bundle, []byte("BEGIN CERTIFICATE")); n <= 100 {
				t.Errorf("the CA bundle holds %d certificates, want more than 100", n)
			}
		}},
		{"static", []string{"amd64"}, func(t *testing.T, e *example) {
			libc, _ := filepath.Glob(filepath.Join(e.rootfs["amd64"], "usr/lib/*/libc.so.6"))
			if len(libc) > 0 || slices.ContainsFunc(e.lock.Arch("amd64"), func(p lock.Package) bool { return p.Name == "libc6" }) {
				t.Errorf("static has libc: %v", libc)
			}
			passwd, err := os.ReadFile(filepath.Join(e.rootfs["amd64"], "etc/passwd"))
			if err != nil || !strings.Contains(string(passwd), "nonroot:x:65532:65532:") {
				t.Errorf("passwd: %v %q", err, passwd)
			}
		}},
		{"nodejs", []string{"amd64"}, func(t *testing.T, e *example) {
			if _, err := os.Stat(filepath.Join(e.rootfs["amd64"], "usr/bin/node")); err != nil {
				t.Error(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := exampleBuild(t, tt.name, tt.archs...)
			for i, arch := range tt.archs {
				if got := e.res.Images[i].Arch; got != arch {
					t.Fatalf("image %d is %s, want %s", i, got, arch)
				}
				if got, want := dpkgQuery(t, e.rootfs[arch]), lockedList(e.lock, arch); !slices.Equal(got, want) {
					t.Errorf("%s: dpkg-query lists\n%q\nthe lock has\n%q", arch, got, want)
				}
			}
			lp, err := layout.FromPath(e.layout)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := lp.ImageIndex()
			if err != nil {
				t.Fatal(err)
			}
			if err := validate.Index(idx); err != nil {
				t.Errorf("validate.Index: %v", err)
			}
			img, err := image.SelectImage(idx, mustPlatform(t, tt.archs[0]))
			if err != nil {
				t.Fatal(err)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cf.Config.User != "65532:65532" {
				t.Errorf("user = %q, want nonroot 65532:65532", cf.Config.User)
			}
			if !cf.Created.Time.Equal(time.Unix(e.lock.SourceDateEpoch, 0)) {
				t.Errorf("created %v, want the lock's %d", cf.Created, e.lock.SourceDateEpoch)
			}
			tt.check(t, e)
		})
	}
}

func TestExampleRebuildIsIdentical(t *testing.T) {
	first := exampleBuild(t, "base", "amd64", "arm64")
	time.Sleep(time.Second) // a build that read the clock would now differ
	dir := filepath.Join(t.TempDir(), "elsewhere")
	s, err := spec.Load(copyExample(t, "base", dir))
	if err != nil {
		t.Fatal(err)
	}
	second, err := Golden(t.Context(), s, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures("amd64", "arm64"))
	if err != nil {
		t.Fatal(err)
	}
	if second.IndexDigest != first.res.IndexDigest {
		t.Errorf("index digests differ: %s and %s", first.res.IndexDigest, second.IndexDigest)
	}
	for i := range second.Images {
		if a, b := first.res.Images[i].Digest, second.Images[i].Digest; a != b {
			t.Errorf("%s manifest digests differ: %s and %s", second.Images[i].Arch, a, b)
		}
	}
}

// TestExampleEpochOnlyRefresh rebuilds examples/base from its committed lock
// with only sourceDateEpoch moved a day later, as a lock refresh with no
// package change gives: every package layer keeps its digest, so a fleet
// rebase mounts and nodes pull only the system layer.
func TestExampleEpochOnlyRefresh(t *testing.T) {
	first := exampleBuild(t, "base", "amd64", "arm64")
	dir := filepath.Join(t.TempDir(), "later")
	s, err := spec.Load(copyExample(t, "base", dir))
	if err != nil {
		t.Fatal(err)
	}
	l := *first.lock
	l.SourceDateEpoch += 86400
	if err := l.WriteFile(filepath.Join(dir, "ingot.lock")); err != nil {
		t.Fatal(err)
	}
	later, err := Golden(t.Context(), s, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if later.LockWritten || later.SourceDateEpoch != first.lock.SourceDateEpoch+86400 {
		t.Fatalf("lock written %v, epoch %d: the edited lock was not built", later.LockWritten, later.SourceDateEpoch)
	}
	before, after := first.res.Images[0].Layers, later.Images[0].Layers
	if len(before) != len(after) || len(after) != len(s.Layers)+1 {
		t.Fatalf("%d and %d layers, want %d", len(before), len(after), len(s.Layers)+1)
	}
	for i := range after {
		same := before[i].Digest == after[i].Digest
		if want := after[i].Name != systemLayerName; same != want {
			t.Errorf("layer %s: digest %s then %s; want the same digest: %v", after[i].Name, before[i].Digest, after[i].Digest, want)
		}
	}
}

// runOut runs img with args and returns its stdout.
func runOut(t *testing.T, img v1.Image, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code, err := run.Run(t.Context(), img, run.WithArgs(args), run.WithStdout(&stdout), run.WithStderr(&stderr))
	if err != nil || code != 0 {
		t.Fatalf("running %v: exit %d, %v\n%s", args, code, err, stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

func TestExampleBaseRuns(t *testing.T) {
	testenv.RequireNetwork(t)
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc")
	// base has no id or openssl: a debug variant adds them in a layer of its
	// own, with its own fresh lock.
	dir := t.TempDir()
	p := copyExample(t, "base", dir)
	os.Remove(filepath.Join(dir, "ingot.lock"))
	text, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, debugSpec(t, text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Golden(t.Context(), s, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.LockWritten {
		t.Error("the debug variant's lock was not written")
	}
	l, err := lock.ReadFile(res.Lockfile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.SelectImage(res.Index, mustPlatform(t, "amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := runOut(t, img, "id"), "uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)"; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
	ver := lockedVersion(t, l, "amd64", "libssl3").Upstream
	if got := runOut(t, img, "openssl", "version"); !strings.HasPrefix(got, "OpenSSL "+ver+" ") {
		t.Errorf("openssl version = %q, want OpenSSL %s", got, ver)
	}
}

// debugSpec adds a debug layer with openssl and coreutils to the base
// spec's layers.
func debugSpec(t *testing.T, text []byte) []byte {
	t.Helper()
	const debug = "  - name: debug\n    packages: [openssl, coreutils]\n"
	s := string(text)
	i := strings.Index(s, "\n# No accounts")
	if i < 0 {
		t.Fatal("examples/base/ingot.yaml changed shape: update debugSpec")
	}
	return []byte(s[:i+1] + debug + s[i+1:])
}

func TestExampleNodejsRuns(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc")
	e := exampleBuild(t, "nodejs", "amd64")
	img, err := image.SelectImage(e.res.Index, mustPlatform(t, "amd64"))
	if err != nil {
		t.Fatal(err)
	}
	// "18.19.0+dfsg" is node's v18.19.0.
	upstream := lockedVersion(t, e.lock, "amd64", "nodejs").Upstream
	want := "v" + strings.FieldsFunc(upstream, func(r rune) bool { return r == '+' || r == '~' })[0]
	if got := runOut(t, img, "--version"); got != want {
		t.Errorf("node --version = %q, want %q", got, want)
	}
}

func TestExamplePush(t *testing.T) {
	e := exampleBuild(t, "base", "amd64", "arm64")
	host := testenv.StartRegistry(t)
	ref := host + "/golden/base:1"
	res, err := Golden(t.Context(), e.spec, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures("amd64", "arm64"),
		WithPush(), WithTag(ref), WithInsecure(true))
	if err != nil {
		t.Fatal(err)
	}
	if res.IndexDigest != e.res.IndexDigest || res.Pushed != host+"/golden/base@"+e.res.IndexDigest {
		t.Errorf("pushed %s (%s), built %s", res.Pushed, res.IndexDigest, e.res.IndexDigest)
	}
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(r, remote.WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := idx.Digest(); d.String() != e.res.IndexDigest {
		t.Errorf("the registry serves %s, built %s", d, e.res.IndexDigest)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range im.Manifests {
		if m.Digest.String() != e.res.Images[i].Digest {
			t.Errorf("manifest %d: registry %s, built %s", i, m.Digest, e.res.Images[i].Digest)
		}
	}

	t.Run("a registry that refuses the push", func(t *testing.T) {
		// A proxy in front of the real registry that refuses every
		// manifest: blobs go in, no tag may appear.
		target, _ := url.Parse("http://" + host)
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.Method == http.MethodPut && strings.Contains(req.URL.Path, "/manifests/") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"errors":[{"code":"DENIED","message":"pushes to golden/ are not allowed"}]}`)
				return
			}
			req.URL.Scheme, req.URL.Host, req.Host = target.Scheme, target.Host, target.Host
			req.RequestURI = ""
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body)
		}))
		defer proxy.Close()
		denied := strings.TrimPrefix(proxy.URL, "http://") + "/golden/denied:1"
		_, err := Golden(t.Context(), e.spec, WithCache(userCache(t)), WithLayerCache(false), WithArchitectures("amd64"),
			WithPush(), WithTag(denied), WithInsecure(true))
		if err == nil || !strings.Contains(err.Error(), "pushing "+denied) || !strings.Contains(err.Error(), "DENIED") {
			t.Fatalf("err = %v, want a push error naming %s and the registry's reason", err, denied)
		}
		r, _ := name.ParseReference(host+"/golden/denied:1", name.Insecure)
		if _, err := remote.Head(r, remote.WithContext(context.Background())); err == nil {
			t.Error("the refused push left a tag")
		}
	})
}
