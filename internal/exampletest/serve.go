package exampletest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/run"
)

// Image returns the image for arch of idx.
func Image(t testing.TB, idx v1.ImageIndex, arch string) v1.Image {
	t.Helper()
	p, err := image.PlatformFor(arch)
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.SelectImage(idx, p)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Serve runs img with runc (run.Run) in a new network namespace and, for up
// to a minute, GETs http://127.0.0.1:<port><path> inside it with curl. It
// returns curl's output once the server answers (the body, a newline and the
// HTTP status code) and the container's stderr; the container stops and the
// namespace goes when t ends. It fails t if the container exits first or
// never answers. It needs root, runc, ip and curl.
func Serve(t *testing.T, img v1.Image, port int, path string) (out string, stderr *SyncBuffer) {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc", "ip", "curl")
	ns := netns(t)
	ctx, cancel := context.WithCancel(t.Context())
	stderr = &SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		_, err := run.Run(ctx, img, run.WithNetwork("/var/run/netns/"+ns), run.WithStderr(stderr))
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	var b []byte
	var err error
	for range 300 {
		b, err = exec.Command("ip", "netns", "exec", ns, "curl", "-sS", "-m", "5", "-w", "\n%{http_code}", fmt.Sprintf("http://127.0.0.1:%d%s", port, path)).CombinedOutput()
		if err == nil {
			return string(b), stderr
		}
		select {
		case err := <-done:
			t.Fatalf("the container exited: %v\n%s", err, stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("GET %s: %v: %s\ncontainer stderr:\n%s", path, err, b, stderr.String())
	return "", nil
}

var netnsSeq atomic.Int64

// netns creates a network namespace with loopback up, removed when t ends,
// and returns its name (its path is /var/run/netns/<name>).
func netns(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("ingot-test-%d-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6, netnsSeq.Add(1))
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "delete", name).Run() })
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("loopback up in %s: %v: %s", name, err, out)
	}
	return name
}

// SyncBuffer is a buffer safe for a writer and a reader.
type SyncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}
