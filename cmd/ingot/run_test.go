package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// runProbeLayout writes an OCI layout holding run's probe program as
// /bin/probe (the entrypoint) and an /etc/passwd with user "app" (1000).
func runProbeLayout(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "probe")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../../run/testdata/probe")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, out)
	}
	probe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		body []byte
		mode int64
	}{
		{"bin/probe", probe, 0o755},
		{"etc/passwd", []byte("root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"), 0o644},
	} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg})
		tw.Write(f.body)
	}
	tw.Close()
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	p := source.DefaultPlatform()
	cf.OS, cf.Architecture = p.OS, p.Architecture
	cf.Config = v1.Config{Entrypoint: []string{"/bin/probe"}, Env: []string{"FROM_IMAGE=1"}}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	out := filepath.Join(dir, "layout")
	if _, err := layout.Write(out, idx); err != nil {
		t.Fatal(err)
	}
	return out
}

func execIngot(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(&o)
	root.SetErr(&e)
	root.SetIn(strings.NewReader(""))
	err = root.ExecuteContext(t.Context())
	return o.String(), e.String(), err
}

func TestRunCommand(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "runc", "go")
	img := runProbeLayout(t)
	tests := []struct {
		desc     string
		args     []string
		wantOut  []string
		wantCode int
	}{
		{desc: "image defaults", args: []string{"run", img}, wantOut: []string{`"UID":0`, "FROM_IMAGE=1", `"Ifaces":["lo"]`}},
		{desc: "user, env and command after --", args: []string{"run", "--user", "app", "-e", "A=b", img, "--", "x", "y"},
			wantOut: []string{`"UID":1000`, `"GID":1000`, "A=b", `"Args":["/bin/probe","x","y"]`}},
		{desc: "command without --", args: []string{"run", img, "exit", "0"}, wantOut: []string{"exiting with 0"}},
		{desc: "entrypoint", args: []string{"run", "--entrypoint", "/bin/probe", "oci:" + img}, wantOut: []string{`"Args":["/bin/probe"]`}},
		{desc: "platform and host network", args: []string{"run", "--platform", "linux/" + source.DefaultPlatform().Architecture, "--network", "host", img}, wantOut: []string{`"UID":0`}},
		{desc: "exit status is carried", args: []string{"run", img, "--", "exit", "7"}, wantOut: []string{"exiting with 7"}, wantCode: 7},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			out, errOut, err := execIngot(t, tc.args...)
			var ec *exitCodeError
			switch {
			case tc.wantCode == 0 && err != nil:
				t.Fatalf("ingot %v: %v\nstderr: %s", tc.args, err, errOut)
			case tc.wantCode != 0 && (!errors.As(err, &ec) || ec.ExitCode() != tc.wantCode):
				t.Fatalf("ingot %v: err %v, want exit status %d", tc.args, err, tc.wantCode)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout %q lacks %q", out, w)
				}
			}
		})
	}
}

func TestRunCommandErrors(t *testing.T) {
	tests := []struct {
		desc    string
		args    []string
		wantErr string
	}{
		{desc: "no image", args: []string{"run"}, wantErr: "requires at least 1 arg"},
		{desc: "bad network", args: []string{"run", "--network", "bridge", "./img"}, wantErr: `network "bridge": want`},
		{desc: "bad env", args: []string{"run", "--env", "NOEQUALS", "./img"}, wantErr: "want KEY=VALUE"},
		{desc: "bad platform", args: []string{"run", "--platform", "linux", "./img"}, wantErr: "os/arch"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, _, err := execIngot(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("missing image", func(t *testing.T) {
		if os.Geteuid() != 0 {
			_, _, err := execIngot(t, "run", "./no/such/image")
			if err == nil || !strings.Contains(err.Error(), "needs root and runc") {
				t.Fatalf("err = %v, want the root/runc hint", err)
			}
			return
		}
		_, _, err := execIngot(t, "run", "./no/such/image")
		if err == nil || !strings.Contains(err.Error(), "./no/such/image") {
			t.Fatalf("err = %v, want it to name the image", err)
		}
	})
}
