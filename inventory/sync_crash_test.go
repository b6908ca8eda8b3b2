package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/internal/testenv"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestMain removes the ingot binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// ingotBinary builds cmd/ingot once per test binary.
func ingotBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ingot-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "ingot")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/ingot").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// gateProxy forwards to the registry at host; once open is false, blob
// requests wait until it is opened again (or the test ends), and each
// waiting request is announced on waiting.
type gateProxy struct {
	host    string
	open    atomic.Bool
	mu      sync.Mutex
	gate    chan struct{}
	waiting chan struct{}
}

func newGateProxy(t *testing.T, host string) *gateProxy {
	target, _ := url.Parse("http://" + host)
	rp := httputil.NewSingleHostReverseProxy(target)
	g := &gateProxy{gate: make(chan struct{}), waiting: make(chan struct{}, 64)}
	g.open.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/blobs/") && !g.open.Load() {
			g.mu.Lock()
			gate := g.gate
			g.mu.Unlock()
			select {
			case g.waiting <- struct{}{}:
			default:
			}
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { g.release(); srv.Close() })
	g.host = strings.TrimPrefix(srv.URL, "http://")
	return g
}

func (g *gateProxy) close() { g.open.Store(false) }

func (g *gateProxy) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.open.Load() {
		g.open.Store(true)
		close(g.gate)
		g.gate = make(chan struct{})
	}
}

// TestSyncCrash kills "ingot inventory sync" (the real binary) with SIGKILL
// while it ingests, reruns it, and compares the store with a clean ingest.
func TestSyncCrash(t *testing.T) {
	bin := ingotBinary(t)
	host := testenv.StartRegistry(t)
	const n = 24
	for i := range n {
		pushImage(t, fmt.Sprintf("%s/crash/r%02d:1", host, i), randomImage(t, int64(1000+i)))
	}
	proxy := newGateProxy(t, host)
	dir := t.TempDir()
	sync := func(db string) *exec.Cmd {
		cmd := exec.Command(bin, "inventory", "sync", "--insecure", "--jobs", "2", "--db", db, "-o", "json", proxy.host+"/crash")
		cmd.Env = append(os.Environ(), "HOME="+dir, "INGOT_DB=")
		return cmd
	}
	crashed := filepath.Join(dir, "crashed.db")
	s, err := Open(t.Context(), crashed) // created before, so that the test can watch it
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Let a third of the images in, then hold every blob request: the
	// sync is in the middle of ingesting images when it is killed.
	cmd := sync(crashed)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		ims, err := s.List(t.Context(), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ims) >= n/3 {
			proxy.close()
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the sync ended before it was killed (%v):\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond): // poll the store
		}
	}
	<-proxy.waiting // a worker is reading an image
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	werr := <-exited
	var ee *exec.ExitError
	if !errors.As(werr, &ee) || ee.ExitCode() != -1 {
		t.Fatalf("the sync was not killed (%v):\n%s", werr, out.String())
	}
	proxy.release()
	partial, err := s.List(t.Context(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(partial) == 0 || len(partial) >= n {
		t.Fatalf("killed with %d of %d images recorded: not half-way", len(partial), n)
	}
	t.Logf("killed with %d of %d images recorded", len(partial), n)
	for _, im := range partial { // every recorded image is complete
		ds, err := s.Show(t.Context(), im.Ref())
		if err != nil || len(ds) != 1 || len(ds[0].Layers) != 2 || len(im.Tags) != 1 {
			t.Errorf("after the kill, %s is incomplete: %+v, %v", im.Ref(), ds, err)
		}
	}

	// The rerun completes; a clean ingest gives the same store.
	rerun := func(db string) *SyncReport {
		out, err := sync(db).Output()
		if err != nil {
			t.Fatalf("sync into %s: %v\n%s", db, err, out)
		}
		var rep SyncReport
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("the -o json report: %v\n%s", err, out)
		}
		return &rep
	}
	rep := rerun(crashed)
	if len(rep.Ingested)+rep.Known != n || rep.Known < len(partial) {
		t.Errorf("rerun: %d ingested and %d known, want %d with at least the %d recorded before the kill", len(rep.Ingested), rep.Known, n, len(partial))
	}
	clean := filepath.Join(dir, "clean.db")
	rerun(clean)
	c, err := Open(t.Context(), clean)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, want := dump(t, s, proxy.host+"/crash"), dump(t, c, proxy.host+"/crash"); got != want {
		t.Errorf("after the kill and a rerun the store is\n%s\nafter a clean ingest\n%s", got, want)
	}
}

// TestSyncCLIFailures: "ingot inventory sync" reports a failing repository
// in -o json and exits 1, after ingesting the others.
func TestSyncCLIFailures(t *testing.T) {
	bin := ingotBinary(t)
	host := testenv.StartRegistry(t)
	pushImage(t, host+"/cli/good:1", randomImage(t, 7))
	pushImage(t, host+"/cli/bad:1", randomImage(t, 8))
	proxy := faultProxy(t, host, map[string]int{"/cli/bad/": http.StatusBadGateway})
	dir := t.TempDir()
	cmd := exec.Command(bin, "inventory", "sync", "--insecure", "--db", filepath.Join(dir, "inv.db"), "-o", "json", proxy+"/cli")
	cmd.Env = append(os.Environ(), "HOME="+dir, "INGOT_DB=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "1 of 2 repositories") {
		t.Errorf("stderr does not say which failed:\n%s", stderr.String())
	}
	var rep SyncReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("-o json: %v\n%s", err, out)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Repository != proxy+"/cli/bad" || len(rep.Ingested) != 1 || rep.Ingested[0].Repository != proxy+"/cli/good" {
		t.Errorf("report: %+v", rep)
	}
}
