package build

import (
	"archive/tar"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image/layer"
)

func TestSpecFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(p string, body string, mode os.FileMode) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("app.conf", "a=1\n", 0o600)
	write("site/index.html", "<h1>hi</h1>", 0o640)
	write("site/bin/run", "#!/bin/sh\n", 0o700)
	if err := os.Symlink("index.html", filepath.Join(dir, "site/default.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/shadow", filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		desc    string
		files   []spec.File
		want    []layer.Entry // bodies compared as strings
		wantErr string
	}{{
		desc:  "a file with the spec's mode and owner",
		files: []spec.File{{Src: "app.conf", Dst: "/etc/app/app.conf", Mode: 0o640, UID: 65532, GID: 65532}},
		want:  []layer.Entry{{Path: "etc/app/app.conf", Type: tar.TypeReg, Mode: 0o640, UID: 65532, GID: 65532, Body: []byte("a=1\n")}},
	}, {
		desc:  "without a mode: 0644, whatever the host's umask made of the source",
		files: []spec.File{{Src: "app.conf", Dst: "/etc/app.conf"}},
		want:  []layer.Entry{{Path: "etc/app.conf", Type: tar.TypeReg, Mode: 0o644, Body: []byte("a=1\n")}},
	}, {
		desc:  "a directory, recursively: executables 0755, symlinks kept",
		files: []spec.File{{Src: "site", Dst: "/srv/www", UID: 33, GID: 33}},
		want: []layer.Entry{
			{Path: "srv/www", Type: tar.TypeDir, Mode: 0o755, UID: 33, GID: 33},
			{Path: "srv/www/bin", Type: tar.TypeDir, Mode: 0o755, UID: 33, GID: 33},
			{Path: "srv/www/bin/run", Type: tar.TypeReg, Mode: 0o755, UID: 33, GID: 33, Body: []byte("#!/bin/sh\n")},
			{Path: "srv/www/default.html", Type: tar.TypeSymlink, Mode: 0o777, UID: 33, GID: 33, Linkname: "index.html"},
			{Path: "srv/www/index.html", Type: tar.TypeReg, Mode: 0o644, UID: 33, GID: 33, Body: []byte("<h1>hi</h1>")},
		},
	}, {
		desc:    "a missing source",
		files:   []spec.File{{Src: "nope.conf", Dst: "/etc/nope.conf"}},
		wantErr: "files[0]: adding nope.conf as /etc/nope.conf: nope.conf does not exist in",
	}, {
		desc:    "a symlink out of the spec's directory",
		files:   []spec.File{{Src: "escape", Dst: "/etc/x"}},
		wantErr: "files[0]: adding escape as /etc/x",
	}}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := specFiles(&spec.Spec{Dir: dir, File: "ingot.yaml", Files: tt.files})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entries %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Path != w.Path || g.Type != w.Type || g.Mode != w.Mode || g.UID != w.UID || g.GID != w.GID || g.Linkname != w.Linkname || string(g.Body) != string(w.Body) {
					t.Errorf("entry %d = %+v\nwant       %+v", i, g, w)
				}
			}
		})
	}
}
