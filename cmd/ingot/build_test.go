package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// buildSpecDir writes a spec for a tiny signed repository (two packages in
// two owned layers) into a temporary directory and returns its path.
func buildSpecDir(t *testing.T, extra string) string {
	t.Helper()
	r := debtest.NewRepo(t)
	r.Add("bookworm", "main",
		debtest.Deb{Name: "base-files", Version: "12.4", Files: []debtest.File{{Path: "./etc/debian_version", Body: []byte("12.11\n")}}},
		debtest.Deb{Name: "hello", Version: "2.10-3", Control: map[string]string{"Depends": "base-files"},
			Files: []debtest.File{{Path: "./usr/bin/hello", Body: []byte("hello"), Mode: 0o755}}},
	)
	dir := t.TempDir()
	kr, err := os.ReadFile(r.Key().KeyringFile(t))
	if err != nil {
		t.Fatal(err)
	}
	spec := `name: registry.example.com/golden/hello
owner: {team: platform, contact: platform@example.com}
source: {mirror: ` + r.URL() + `, suites: [bookworm], keyring: keyring.gpg}
architectures: [amd64]
layers:
  - name: os
    packages: [base-files]
  - name: app
    owner: {team: apps, contact: apps@example.com}
    packages: [hello]
entrypoint: [/usr/bin/hello]
` + extra
	for name, body := range map[string][]byte{"keyring.gpg": kr, "ingot.yaml": []byte(spec)} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildCommand(t *testing.T) {
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	dir := buildSpecDir(t, "")
	work := t.TempDir()
	t.Chdir(work)

	stdout, stderr, err := execIngot(t, "build", "-f", filepath.Join(dir, "ingot.yaml"))
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	for _, want := range []string{"built registry.example.com/golden/hello", "index   sha256:", "amd64   sha256:", "os ", "app ", "apps", "system", "platform <platform@example.com>", "layout  out/hello", "(written)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(work, "out/hello/index.json")); err != nil {
		t.Errorf("default layout: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ingot.lock")); err != nil {
		t.Errorf("lock not written next to the spec: %v", err)
	}

	// Again, as JSON, into a tarball: same digests, the lock reused.
	stdout, stderr, err = execIngot(t, "build", "-f", filepath.Join(dir, "ingot.yaml"), "--tarball", "hello.tar", "--tag", "example.com/hello:1", "-o", "json")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	var res struct {
		Name        string `json:"name"`
		IndexDigest string `json:"indexDigest"`
		LockWritten bool   `json:"lockWritten"`
		Tarball     string `json:"tarball"`
		Layout      string `json:"layout"`
		Images      []struct {
			Arch, Digest string
			Layers       []struct {
				Name, Owner string
				Size        int64
				Packages    []string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("-o json: %v\n%s", err, stdout)
	}
	if res.LockWritten || res.Tarball != "hello.tar" || res.Layout != "" || len(res.Images) != 1 || len(res.Images[0].Layers) != 3 {
		t.Fatalf("json result: %+v", res)
	}
	l := res.Images[0].Layers
	if l[1].Name != "app" || l[1].Owner != "apps <apps@example.com>" || len(l[1].Packages) != 1 || l[1].Packages[0] != "hello=2.10-3" || l[1].Size == 0 {
		t.Errorf("app layer: %+v", l[1])
	}
	if _, err := os.Stat(filepath.Join(work, "hello.tar")); err != nil {
		t.Errorf("tarball: %v", err)
	}
}

func TestBuildCommandErrors(t *testing.T) {
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	dir := buildSpecDir(t, "")
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "ingot.yaml"), []byte("name: x/y\nowner: {team: a}\nlayers:\n  - name: os\n    pakages: [a]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc string
		args []string
		want string
	}{
		{"a spec error names the line", []string{"build", "-f", filepath.Join(bad, "ingot.yaml")}, "ingot.yaml:5:"},
		{"a missing spec", []string{"build", "-f", filepath.Join(bad, "nope.yaml")}, "nope.yaml"},
		{"--tag without an output to tag", []string{"build", "-f", filepath.Join(dir, "ingot.yaml"), "--tag", "x/y:1"}, "--tag names what --push pushes"},
		{"an architecture the spec lacks", []string{"build", "-f", filepath.Join(dir, "ingot.yaml"), "--arch", "arm64", "--layout", t.TempDir()}, "arm64 is not one of"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, _, err := execIngot(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBuildCommandPush(t *testing.T) {
	host := testenv.StartRegistry(t)
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	dir := buildSpecDir(t, "")
	ref := host + "/golden/hello:1"
	stdout, stderr, err := execIngot(t, "build", "-f", filepath.Join(dir, "ingot.yaml"), "--push", "--tag", ref, "--insecure", "-o", "json")
	if err != nil {
		t.Fatalf("build --push: %v\n%s", err, stderr)
	}
	var res struct {
		IndexDigest, Pushed, Layout string
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Pushed != host+"/golden/hello@"+res.IndexDigest || res.Layout != "" {
		t.Errorf("pushed %q (layout %q), want %s@%s and no layout", res.Pushed, res.Layout, host+"/golden/hello", res.IndexDigest)
	}
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Head(r, remote.WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	if desc.Digest.String() != res.IndexDigest {
		t.Errorf("the registry has %s under %s, built %s", desc.Digest, ref, res.IndexDigest)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1 << 10: "1.0 KiB", 3 << 19: "1.5 MiB", 9 << 30: "9.0 GiB",
	} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
