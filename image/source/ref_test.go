package source

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParse(t *testing.T) {
	dir := t.TempDir()
	lay := filepath.Join(dir, "out")
	os.MkdirAll(lay, 0o755)
	os.WriteFile(filepath.Join(lay, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)
	tarPath := filepath.Join(dir, "base.tar")
	os.WriteFile(tarPath, []byte("x"), 0o644)

	tests := []struct {
		desc, ref         string
		kind              kind
		path, digest, tag string
		registry          string
	}{
		{desc: "layout dir", ref: lay, kind: kindLayout, path: lay},
		{desc: "layout with tag", ref: lay + ":v1", kind: kindLayout, path: lay, tag: "v1"},
		{desc: "layout with digest", ref: "oci:" + lay + "@sha256:ab", kind: kindLayout, path: lay, digest: "sha256:ab"},
		{desc: "tarball", ref: tarPath, kind: kindTarball, path: tarPath},
		{desc: "tarball with repo:tag", ref: "docker-archive:" + tarPath + ":golden/base:1", kind: kindTarball, path: tarPath, tag: "golden/base:1"},
		{desc: "registry with port", ref: "127.0.0.1:5000/golden/base:1", kind: kindRemote, registry: "127.0.0.1:5000"},
		{desc: "short docker name", ref: "golden/base", kind: kindRemote, registry: "index.docker.io"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p, err := parse(tc.ref, false)
			if err != nil {
				t.Fatal(err)
			}
			if p.kind != tc.kind || p.path != tc.path || p.digest != tc.digest || p.tag != tc.tag {
				t.Errorf("parse(%q) = %+v", tc.ref, p)
			}
			if tc.registry != "" && p.ref.Context().RegistryStr() != tc.registry {
				t.Errorf("registry = %s, want %s", p.ref.Context().RegistryStr(), tc.registry)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"oci:./x", "./x@sha256:00", "docker-archive:a.tar:r:t", "127.0.0.1:5000/a/b:1", "a@sha256:" + "0000", "::", "oci:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		p, err := parse(ref, false)
		if err == nil && p.kind == kindRemote && p.ref == nil {
			t.Fatalf("parse(%q) gave a registry kind without a reference", ref)
		}
	})
}
