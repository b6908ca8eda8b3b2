package testenv

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// registries maps a running registry's host to its log file.
var registries sync.Map // host -> log path

const registryConfig = `version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: %s
`

// StartRegistry starts Debian's docker-registry on 127.0.0.1:<free port> with
// temporary storage, waits until GET /v2/ answers 200 and stops it when t ends.
// It returns the registry's host ("127.0.0.1:PORT"); reach it over plain HTTP
// (go-containerregistry: name.Insecure). Skips t if docker-registry is missing.
func StartRegistry(t testing.TB) (host string) {
	t.Helper()
	RequireTool(t, "docker-registry")
	dir := t.TempDir()
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		host, err := startRegistry(t, dir, attempt)
		if err == nil {
			return host
		}
		lastErr = err
	}
	t.Fatalf("starting docker-registry: %v", lastErr)
	return ""
}

func startRegistry(t testing.TB, dir string, attempt int) (string, error) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return "", err
	}
	host := fmt.Sprintf("127.0.0.1:%d", port)
	run := filepath.Join(dir, fmt.Sprintf("run%d", attempt))
	if err := os.MkdirAll(filepath.Join(run, "storage"), 0o755); err != nil {
		return "", err
	}
	cfg := filepath.Join(run, "config.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, registryConfig, filepath.Join(run, "storage"), host), 0o644); err != nil {
		return "", err
	}
	logPath := filepath.Join(run, "registry.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return "", err
	}
	cmd := exec.Command("docker-registry", "serve", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return "", fmt.Errorf("running docker-registry: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logf.Close() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := waitReady(ctx, host, exited); err != nil {
		stop()
		log, _ := os.ReadFile(logPath)
		return "", fmt.Errorf("registry on %s not ready: %w\nlog:\n%s", host, err, tail(log, 2000))
	}
	registries.Store(host, logPath)
	t.Cleanup(func() {
		stop()
		registries.Delete(host)
	})
	return host, nil
}

func waitReady(ctx context.Context, host string, exited <-chan error) error {
	url := "http://" + host + "/v2/"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		select {
		case e := <-exited:
			return fmt.Errorf("docker-registry exited: %v", e)
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// RegistryLog returns the path of the log file of the registry StartRegistry
// started on host. It fails t for an unknown host.
func RegistryLog(t testing.TB, host string) string {
	t.Helper()
	p, ok := registries.Load(host)
	if !ok {
		t.Fatalf("no registry started by testenv on %s", host)
	}
	return p.(string)
}

// BlobUploads counts the blob uploads the registry on host completed so far
// (PUT .../blobs/uploads/... answered 201), from its log. Tests use it to
// prove that a push skipped blobs the registry already had.
func BlobUploads(t testing.TB, host string) int {
	t.Helper()
	f, err := os.Open(RegistryLog(t, host))
	if err != nil {
		t.Fatalf("reading registry log: %v", err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.Contains(l, "response completed") &&
			strings.Contains(l, "http.request.method=PUT") &&
			strings.Contains(l, "/blobs/uploads/") &&
			strings.Contains(l, "http.response.status=201") {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading registry log: %v", err)
	}
	return n
}
