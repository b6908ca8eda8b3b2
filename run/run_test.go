package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/internal/testenv"
)

type probeReport struct {
	UID, GID int
	Groups   []int
	Cwd      string
	Env      []string
	Args     []string
	Hostname string
	Ifaces   []string
	Exists   map[string]bool
}

func requireRunc(t *testing.T) {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc")
}

// runProbe runs img and decodes the probe's report.
func runProbe(t *testing.T, img v1.Image, opts ...Option) (probeReport, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code, err := Run(t.Context(), img, append([]Option{WithStdout(&stdout), WithStderr(&stderr), WithWorkDir(t.TempDir())}, opts...)...)
	if err != nil {
		t.Fatalf("Run: %v\nstderr: %s", err, stderr.String())
	}
	var r probeReport
	if code == 0 {
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("decoding the probe's report %q: %v (stderr %s)", stdout.String(), err, stderr.String())
		}
	}
	return r, code
}

func TestRun(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{
		Entrypoint: []string{"/bin/probe"},
		Cmd:        []string{"from-cmd"},
		Env:        []string{"PATH=/bin", "GREETING=hello", "OVERRIDE=image"},
		WorkingDir: "/work/dir",
		User:       "app",
	})
	tests := []struct {
		desc  string
		opts  []Option
		check func(t *testing.T, r probeReport)
	}{
		{desc: "image defaults: user by name, env, workdir, entrypoint+cmd", check: func(t *testing.T, r probeReport) {
			if r.UID != 1000 || r.GID != 1000 {
				t.Errorf("uid:gid = %d:%d, want 1000:1000", r.UID, r.GID)
			}
			if !slices.Contains(r.Groups, 50) {
				t.Errorf("groups = %v, want the supplementary group staff (50)", r.Groups)
			}
			if r.Cwd != "/work/dir" {
				t.Errorf("cwd = %q, want /work/dir", r.Cwd)
			}
			if !slices.Equal(r.Args, []string{"/bin/probe", "from-cmd"}) {
				t.Errorf("args = %q", r.Args)
			}
			for _, kv := range []string{"GREETING=hello", "PATH=/bin", "HOME=/home/app", "OVERRIDE=image"} {
				if !slices.Contains(r.Env, kv) {
					t.Errorf("env %q lacks %s", r.Env, kv)
				}
			}
			if r.Hostname != "ingot" {
				t.Errorf("hostname = %q", r.Hostname)
			}
			if !slices.Equal(r.Ifaces, []string{"lo"}) {
				t.Errorf("network interfaces = %v, want only lo (network none)", r.Ifaces)
			}
		}},
		{desc: "user by uid without a passwd entry gets gid 0", opts: []Option{WithUser("4242")}, check: func(t *testing.T, r probeReport) {
			if r.UID != 4242 || r.GID != 0 {
				t.Errorf("uid:gid = %d:%d, want 4242:0", r.UID, r.GID)
			}
			if !slices.Contains(r.Env, "HOME=/") {
				t.Errorf("HOME not / for an unknown uid: %q", r.Env)
			}
		}},
		{desc: "user by uid in passwd", opts: []Option{WithUser("65532")}, check: func(t *testing.T, r probeReport) {
			if r.UID != 65532 || r.GID != 65532 {
				t.Errorf("uid:gid = %d:%d, want 65532:65532", r.UID, r.GID)
			}
		}},
		{desc: "name:group", opts: []Option{WithUser("nonroot:staff")}, check: func(t *testing.T, r probeReport) {
			if r.UID != 65532 || r.GID != 50 {
				t.Errorf("uid:gid = %d:%d, want 65532:50", r.UID, r.GID)
			}
		}},
		{desc: "uid:gid", opts: []Option{WithUser("7:8")}, check: func(t *testing.T, r probeReport) {
			if r.UID != 7 || r.GID != 8 {
				t.Errorf("uid:gid = %d:%d, want 7:8", r.UID, r.GID)
			}
		}},
		{desc: "root", opts: []Option{WithUser("root")}, check: func(t *testing.T, r probeReport) {
			if r.UID != 0 || r.GID != 0 {
				t.Errorf("uid:gid = %d:%d, want 0:0", r.UID, r.GID)
			}
		}},
		{desc: "args replace cmd", opts: []Option{WithArgs([]string{"a", "b c"})}, check: func(t *testing.T, r probeReport) {
			if !slices.Equal(r.Args, []string{"/bin/probe", "a", "b c"}) {
				t.Errorf("args = %q", r.Args)
			}
		}},
		{desc: "entrypoint override drops cmd", opts: []Option{WithEntrypoint([]string{"/bin/probe", "--"})}, check: func(t *testing.T, r probeReport) {
			if !slices.Equal(r.Args, []string{"/bin/probe", "--"}) {
				t.Errorf("args = %q", r.Args)
			}
		}},
		{desc: "extra env overrides", opts: []Option{WithEnv([]string{"OVERRIDE=cli", "NEW=1"})}, check: func(t *testing.T, r probeReport) {
			if !slices.Contains(r.Env, "OVERRIDE=cli") || slices.Contains(r.Env, "OVERRIDE=image") || !slices.Contains(r.Env, "NEW=1") {
				t.Errorf("env = %q", r.Env)
			}
		}},
		{desc: "whiteouts applied in the running container", opts: []Option{WithArgs([]string{"exists", "/deleted", "/opaque/old", "/opaque/new", "/etc/passwd"})}, check: func(t *testing.T, r probeReport) {
			want := map[string]bool{"/deleted": false, "/opaque/old": false, "/opaque/new": true, "/etc/passwd": true}
			for p, w := range want {
				if r.Exists[p] != w {
					t.Errorf("exists(%s) = %v, want %v", p, r.Exists[p], w)
				}
			}
		}},
		{desc: "host network", opts: []Option{WithNetwork(NetworkHost)}, check: func(t *testing.T, r probeReport) {
			if len(r.Ifaces) < 1 {
				t.Errorf("no interfaces with the host network")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, code := runProbe(t, img, tc.opts...)
			if code != 0 {
				t.Fatalf("exit code %d, want 0", code)
			}
			tc.check(t, r)
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{Entrypoint: []string{"/bin/probe"}})
	for _, code := range []int{0, 3, 42} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			var stdout bytes.Buffer
			got, err := Run(t.Context(), img, WithArgs([]string{"exit", strconv.Itoa(code)}), WithStdout(&stdout), WithWorkDir(t.TempDir()))
			if err != nil {
				t.Fatal(err)
			}
			if got != code {
				t.Errorf("exit code = %d, want %d", got, code)
			}
			if !strings.Contains(stdout.String(), "exiting with "+strconv.Itoa(code)) {
				t.Errorf("stdout = %q, want the probe's output streamed", stdout.String())
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{Entrypoint: []string{"/bin/probe"}})
	tests := []struct {
		desc    string
		img     v1.Image
		opts    []Option
		wantErr string
		runcErr bool
	}{
		{desc: "missing binary is a runc error, not exit 1", img: img, opts: []Option{WithEntrypoint([]string{"/bin/nope"})}, wantErr: "nope", runcErr: true},
		{desc: "unknown user name", img: img, opts: []Option{WithUser("nobody-here")}, wantErr: `no user named "nobody-here"`},
		{desc: "unknown group name", img: img, opts: []Option{WithUser("app:nogroup")}, wantErr: `no group named "nogroup"`},
		{desc: "no command", img: probeImage(t, v1.Config{Entrypoint: []string{}, Cmd: []string{}}), opts: []Option{WithEntrypoint(nil)}, wantErr: "no entrypoint or cmd"},
		{desc: "bad network", img: img, opts: []Option{WithNetwork("bridge")}, wantErr: `network "bridge"`},
		{desc: "missing runc", img: img, opts: []Option{WithRuncPath("/no/such/runc")}, wantErr: "runc not found"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			var stderr bytes.Buffer
			code, err := Run(t.Context(), tc.img, append([]Option{WithStderr(&stderr), WithWorkDir(t.TempDir())}, tc.opts...)...)
			if err == nil {
				t.Fatalf("Run exited %d without an error, want %q (stderr %s)", code, tc.wantErr, stderr.String())
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			var re *RuncError
			if errors.As(err, &re) != tc.runcErr {
				t.Errorf("RuncError = %v, want %v (%v)", errors.As(err, &re), tc.runcErr, err)
			}
		})
	}
}

func TestRunCancelKillsAndCleansUp(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{Entrypoint: []string{"/bin/probe"}})
	work := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw, _ := os.Pipe()
	defer pr.Close()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, img, WithArgs([]string{"sleep"}), WithStdout(pw), WithWorkDir(work))
		pw.Close()
		done <- err
	}()
	buf := make([]byte, 64)
	n, _ := pr.Read(buf) // the probe says "sleeping" once it runs
	if !strings.Contains(string(buf[:n]), "sleeping") {
		t.Fatalf("probe output %q", buf[:n])
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("Run did not return after cancellation")
	}
	out, err := exec.Command("runc", "list", "-q").Output()
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(work)
	if len(ents) != 0 {
		t.Errorf("bundle left behind in %s: %v", work, ents)
	}
	for _, id := range strings.Fields(string(out)) {
		if strings.HasPrefix(id, "ingot-") {
			st, _ := exec.Command("runc", "state", id).Output()
			if strings.Contains(string(st), filepath.Clean(work)) {
				t.Errorf("container %s still exists after cancellation", id)
			}
		}
	}
}

func TestRunKeep(t *testing.T) {
	requireRunc(t)
	img := probeImage(t, v1.Config{Entrypoint: []string{"/bin/probe"}})
	work := t.TempDir()
	if _, err := Run(t.Context(), img, WithArgs([]string{"exit", "0"}), WithKeep(true), WithWorkDir(work)); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(work, "ingot-run-*", "bundle", "config.json"))
	if len(matches) != 1 {
		t.Fatalf("kept bundles: %v, want one config.json", matches)
	}
}
