package imagetest

import (
	"archive/tar"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestFilesLayer(t *testing.T) {
	files := map[string]string{"usr/bin/tool": "#!/bin/sh\n", "etc/conf": "a=1\n"}
	a, b := FilesLayer(t, files), FilesLayer(t, files)
	da, _ := a.Digest()
	db, _ := b.Digest()
	if da != db {
		t.Errorf("the same files gave %s and %s", da, db)
	}
	rc, err := a.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	modes := map[string]int64{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		modes[h.Name] = h.Mode
	}
	if modes["usr/bin/tool"] != 0o755 || modes["etc/conf"] != 0o644 {
		t.Errorf("modes = %v, want usr/bin/tool 0755 and etc/conf 0644", modes)
	}
}

func TestImage(t *testing.T) {
	l := FilesLayer(t, map[string]string{"a": "1"})
	img := Image(t, "arm64", v1.Config{Entrypoint: []string{"/a"}}, l)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != "linux" || cf.Architecture != "arm64" || len(cf.Config.Entrypoint) != 1 || len(cf.RootFS.DiffIDs) != 1 {
		t.Errorf("config = %+v", cf)
	}
}
