package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// sbomIndex returns a two-platform index whose images hold a dpkg status
// file and an npm package over two layers.
func sbomIndex(t *testing.T) v1.ImageIndex {
	t.Helper()
	layer := func(files map[string]string) v1.Layer {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, n := range []string{"etc/os-release", "var/lib/dpkg/status", "app/node_modules/left-pad/package.json"} {
			if body, ok := files[n]; ok {
				tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
				io.WriteString(tw, body)
			}
		}
		tw.Close()
		data := buf.Bytes()
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	var idx v1.ImageIndex = empty.Index
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := mutate.AppendLayers(empty.Image,
			layer(map[string]string{
				"etc/os-release":      "ID=debian\nVERSION_ID=\"12\"\n",
				"var/lib/dpkg/status": "Package: libc6\nStatus: install ok installed\nArchitecture: " + arch + "\nSource: glibc\nVersion: 2.36-9+deb12u4\n",
			}),
			layer(map[string]string{"app/node_modules/left-pad/package.json": `{"name": "left-pad", "version": "1.3.0", "license": "WTFPL"}`}),
		)
		if err != nil {
			t.Fatal(err)
		}
		cf, _ := img.ConfigFile()
		cf = cf.DeepCopy()
		cf.OS, cf.Architecture = "linux", arch
		if img, err = mutate.ConfigFile(img, cf); err != nil {
			t.Fatal(err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	return idx
}

func TestSBOMCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "layout")
	if _, err := layout.Write(dir, sbomIndex(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc string
		args []string
		want []string
	}{
		{"table, every platform", []string{"sbom", dir},
			[]string{"# linux/amd64 sha256:", "# linux/arm64 sha256:", "(debian-12)", "ECOSYSTEM NAME VERSION LAYER OWNER", "deb libc6 2.36-9+deb12u4 ", "npm left-pad 1.3.0 "}},
		{"json", []string{"sbom", "--format", "json", "--platform", "linux/arm64", dir},
			[]string{`"PURL": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=arm64\u0026distro=debian-12\u0026upstream=glibc"`, `"Platform": "linux/arm64"`}},
		{"-o json", []string{"sbom", "-o", "json", "--platform", "linux/amd64", dir}, []string{`"Name": "left-pad"`}},
		{"spdx", []string{"sbom", "--format", "spdx", "--platform", "linux/amd64", dir}, []string{`"spdxVersion": "SPDX-2.3"`, "pkg:npm/left-pad@1.3.0"}},
		{"cyclonedx", []string{"sbom", "--format", "cyclonedx", "--platform", "linux/amd64", dir}, []string{`"bomFormat": "CycloneDX"`, "pkg:deb/debian/libc6@"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			stdout, stderr, err := execIngot(t, tt.args...)
			t.Cleanup(func() { flagOutput = "text" })
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			flat := strings.Join(strings.Fields(stdout), " ")
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}

	t.Run("file per platform", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "app.spdx.json")
		if _, stderr, err := execIngot(t, "sbom", "--format", "spdx", "--file", out, dir); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		for _, p := range []string{"linux-amd64", "linux-arm64"} {
			b, err := os.ReadFile(strings.TrimSuffix(out, ".spdx.json") + "-" + p + ".spdx.json")
			if err != nil || !json.Valid(b) {
				t.Errorf("%s: %v", p, err)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"sbom", "--format", "xml", dir}, "unknown --format"},
			{[]string{"sbom", "--attached", dir}, "not a registry reference"},
			{[]string{"sbom", "--attached", "--format", "table", "example.invalid/x:1"}, "use --format spdx or cyclonedx"},
			{[]string{"sbom", "attach", dir}, "push the image first"},
			{[]string{"sbom", "--platform", "linux/s390x", dir}, "s390x"},
		} {
			_, _, err := execIngot(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: err %v, want %q", tc.args, err, tc.want)
			}
		}
	})
}

// TestSBOMAttachCommand attaches to an index in Debian's docker-registry
// and reads the documents back: byte-identical to what inspection prints.
func TestSBOMAttachCommand(t *testing.T) {
	host := testenv.StartRegistry(t)
	ref := host + "/golden/app:1"
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, sbomIndex(t), remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := execIngot(t, "sbom", "attach", "--insecure", ref)
	if err != nil {
		t.Fatalf("attach: %v\n%s", err, stderr)
	}
	if strings.Count(stdout, "attached SPDX and CycloneDX SBOMs (2 packages)") != 2 {
		t.Errorf("attach output:\n%s", stdout)
	}
	for _, format := range []string{"spdx", "cyclonedx"} {
		t.Run(format, func(t *testing.T) {
			args := []string{"sbom", "--insecure", "--platform", "linux/arm64", "--format", format, ref}
			inspected, stderr, err := execIngot(t, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			attached, stderr, err := execIngot(t, append(args, "--attached")...)
			if err != nil {
				t.Fatalf("--attached: %v\n%s", err, stderr)
			}
			if attached != inspected {
				t.Errorf("the attached %s document differs from the inspected one:\n%s\n---\n%s", format, attached, inspected)
			}
		})
	}
	if _, _, err := execIngot(t, "sbom", "--insecure", "--attached", host+"/golden/none:1"); err == nil {
		t.Error("--attached on a missing image did not fail")
	}
}
