package run

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/testenv"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// TestRunDebianBusybox runs real Debian content: busybox-static extracted by
// mmdebstrap from the machine's configured archive (device nodes, "./" names
// and all), as a single-layer image.
func TestRunDebianBusybox(t *testing.T) {
	requireRunc(t)
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "mmdebstrap")
	src, err := repo.SystemSource()
	if err != nil || src.Mirror == "" {
		t.Fatalf("no Debian mirror (apt configuration or INGOT_MIRROR): %v", err)
	}
	rootfs := filepath.Join(t.TempDir(), "rootfs.tar")
	mm := exec.CommandContext(t.Context(), "mmdebstrap", "--quiet", "--variant=extract", "--include=busybox-static",
		`--aptopt=Acquire::Check-Valid-Until "false"`, "bookworm", rootfs, src.MirrorFor("bookworm"))
	if out, err := mm.CombinedOutput(); err != nil {
		t.Fatalf("mmdebstrap: %v\n%s", err, out)
	}
	layer, err := tarball.LayerFromFile(rootfs)
	if err != nil {
		t.Fatal(err)
	}
	img := imagetest.Image(t, runtime.GOARCH, v1.Config{Entrypoint: []string{"/bin/busybox"}, Cmd: []string{"sh"}, Env: []string{"PATH=/bin"}}, layer)

	tests := []struct {
		desc     string
		opts     []Option
		wantOut  string
		wantCode int
	}{
		{desc: "shell, exit status and user", opts: []Option{WithUser("65534:65534"), WithArgs([]string{"sh", "-c", "echo $(id -u):$(id -g) $HOME; exit 5"})}, wantOut: "65534:65534 /\n", wantCode: 5},
		{desc: "runtime /dev, not the layer's device nodes", opts: []Option{WithArgs([]string{"sh", "-c", "echo x > /dev/null && ls /dev/null /dev/zero"})}, wantOut: "/dev/null\n/dev/zero\n"},
		{desc: "stdin is passed", opts: []Option{WithArgs([]string{"wc", "-l"}), WithStdin(strings.NewReader("a\nb\nc\n"))}, wantOut: "3\n"},
		{desc: "read-only /proc/sys", opts: []Option{WithArgs([]string{"sh", "-c", "echo 1 > /proc/sys/kernel/hostname 2>/dev/null || echo ro"})}, wantOut: "ro\n"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code, err := Run(t.Context(), img, append([]Option{WithStdout(&stdout), WithStderr(&stderr), WithWorkDir(t.TempDir())}, tc.opts...)...)
			if err != nil {
				t.Fatalf("Run: %v\nstderr: %s", err, stderr.String())
			}
			if code != tc.wantCode || stdout.String() != tc.wantOut {
				t.Errorf("exit %d stdout %q, want %d %q (stderr %s)", code, stdout.String(), tc.wantCode, tc.wantOut, stderr.String())
			}
		})
	}
}
