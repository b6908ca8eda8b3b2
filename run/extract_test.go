package run

import (
	"archive/tar"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

func TestUnpackLayers(t *testing.T) {
	l1 := layerOf(t,
		ent{name: "./usr/", typ: tar.TypeDir},
		ent{name: "usr/bin/", typ: tar.TypeDir},
		ent{name: "usr/bin/tool", body: "v1", mode: 0o4755, uid: 0, gid: 0},
		ent{name: "bin", typ: tar.TypeSymlink, link: "usr/bin"},
		ent{name: "etc/", typ: tar.TypeDir},
		ent{name: "etc/owned", body: "x", uid: 1000, gid: 50, mode: 0o640},
		ent{name: "etc/hard", typ: tar.TypeLink, link: "etc/owned"},
		ent{name: "etc/alternatives/", typ: tar.TypeDir},
		ent{name: "etc/alternatives/awk", typ: tar.TypeSymlink, link: "/usr/bin/tool"},
		ent{name: "var/run", typ: tar.TypeSymlink, link: "/run"},
		ent{name: "gone", body: "x"},
		ent{name: "gonedir/sub/file", body: "x"},
		ent{name: "opq/old", body: "old"},
		ent{name: "opq/olddir/f", body: "old"},
		ent{name: "ro/", typ: tar.TypeDir, mode: 0o555},
		ent{name: "ro/f", body: "in a read-only dir"},
		ent{name: "replaced", typ: tar.TypeDir},
		ent{name: "replaced/child", body: "x"},
		ent{name: "dev/null", typ: tar.TypeChar},
	)
	l2 := layerOf(t,
		ent{name: "bin/tool", body: "v2 through the /bin symlink", mode: 0o755},
		ent{name: "var/run/pid", body: "1"}, // through an absolute symlink
		ent{name: ".wh.gone"},
		ent{name: ".wh.gonedir"},
		ent{name: "opq/kept", body: "new"},
		ent{name: "opq/.wh..wh..opq"},
		ent{name: "opq/after", body: "new too"},
		ent{name: "replaced", body: "now a file"},
	)
	dir := filepath.Join(t.TempDir(), "bundle")
	b, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/bin/tool"}}, l1, l2), dir)
	if err != nil {
		t.Fatal(err)
	}
	rootfs := b.Rootfs
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join(rootfs, p))
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(data)
	}
	absent := func(p string) bool {
		_, err := os.Lstat(filepath.Join(rootfs, p))
		return os.IsNotExist(err)
	}
	tests := []struct {
		desc string
		ok   bool
		got  any
	}{
		{"file written through a relative dir symlink", read("usr/bin/tool") == "v2 through the /bin symlink", read("usr/bin/tool")},
		{"/bin stays a symlink", isSymlink(t, filepath.Join(rootfs, "bin"), "usr/bin"), "bin"},
		{"absolute symlink target kept verbatim", isSymlink(t, filepath.Join(rootfs, "etc/alternatives/awk"), "/usr/bin/tool"), "awk"},
		{"write through an absolute dir symlink stays in the root", read("run/pid") == "1", read("run/pid")},
		{"whiteout removes a file", absent("gone"), "gone"},
		{"whiteout removes a directory tree", absent("gonedir"), "gonedir"},
		{"opaque dir drops lower files", absent("opq/old") && absent("opq/olddir"), "opq/old"},
		{"opaque dir keeps this layer's files before the marker", read("opq/kept") == "new", read("opq/kept")},
		{"opaque dir keeps this layer's files after the marker", read("opq/after") == "new too", read("opq/after")},
		{"a file replaces a directory", read("replaced") == "now a file", read("replaced")},
		{"device nodes are skipped", absent("dev/null"), "dev/null"},
		{"read-only directory was filled", read("ro/f") == "in a read-only dir", read("ro/f")},
		{"whiteout files are not written", absent(".wh.gone") && absent("opq/.wh..wh..opq"), ".wh."},
		{"config.json written", !absent("../config.json"), "config.json"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("failed: %v", tc.got)
			}
		})
	}
	t.Run("modes", func(t *testing.T) {
		for p, want := range map[string]os.FileMode{"etc/owned": 0o640, "ro": os.ModeDir | 0o555, "usr/bin/tool": 0o755} {
			fi, err := os.Lstat(filepath.Join(rootfs, p))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != want {
				t.Errorf("%s mode = %v, want %v", p, fi.Mode(), want)
			}
		}
	})
	t.Run("hard link shares the inode", func(t *testing.T) {
		a, _ := os.Stat(filepath.Join(rootfs, "etc/owned"))
		h, _ := os.Stat(filepath.Join(rootfs, "etc/hard"))
		if a == nil || h == nil || !os.SameFile(a, h) {
			t.Errorf("etc/hard is not a hard link of etc/owned")
		}
	})
	t.Run("owners restored as root", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("owners are only restored as root")
		}
		fi, err := os.Lstat(filepath.Join(rootfs, "etc/owned"))
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid != 1000 || st.Gid != 50 {
			t.Errorf("etc/owned owned by %d:%d, want 1000:50", st.Uid, st.Gid)
		}
	})
}

func TestUnpackSetuid(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("setuid files owned by another user need root")
	}
	l := layerOf(t, ent{name: "su", body: "x", mode: 0o4755, uid: 0, gid: 0}, ent{name: "sg", body: "x", mode: 0o2755, uid: 1000, gid: 1000})
	b, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/su"}}, l), filepath.Join(t.TempDir(), "b"))
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{"su": os.ModeSetuid | 0o755, "sg": os.ModeSetgid | 0o755} {
		fi, err := os.Lstat(filepath.Join(b.Rootfs, p))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s mode = %v, want %v (chown after chmod would clear it)", p, fi.Mode(), want)
		}
	}
}

func isSymlink(t testing.TB, p, target string) bool {
	t.Helper()
	got, err := os.Readlink(p)
	return err == nil && got == target
}

// TestUnpackHostile feeds layers that try to write outside the bundle and
// checks the host path stays absent.
func TestUnpackHostile(t *testing.T) {
	host := t.TempDir() // the path a hostile layer aims at
	hostRel := strings.TrimPrefix(host, "/")
	up := strings.Repeat("../", 30)
	tests := []struct {
		desc    string
		layers  [][]ent
		wantErr string // "" when the layer is unpacked safely inside the root
	}{
		{desc: "dot-dot entry", layers: [][]ent{{{name: "../../../../" + hostRel + "/pwned", body: "x"}}}, wantErr: `".."`},
		{desc: "dot-dot in the middle", layers: [][]ent{{{name: "a/../../pwned", body: "x"}}}, wantErr: `".."`},
		{desc: "absolute entry is rooted", layers: [][]ent{{{name: host + "/pwned", body: "x"}}}},
		{desc: "absolute symlink then write through it", layers: [][]ent{
			{{name: "evil", typ: tar.TypeSymlink, link: host}},
			{{name: "evil/pwned", body: "x"}},
		}},
		{desc: "relative symlink climbing out then write through it", layers: [][]ent{
			{{name: "evil", typ: tar.TypeSymlink, link: up + hostRel}},
			{{name: "evil/pwned", body: "x"}},
		}},
		{desc: "same-layer symlink then write through it", layers: [][]ent{
			{{name: "evil", typ: tar.TypeSymlink, link: host}, {name: "evil/pwned", body: "x"}},
		}},
		{desc: "symlink through symlink", layers: [][]ent{
			{{name: "a", typ: tar.TypeSymlink, link: "b/c"}, {name: "b", typ: tar.TypeSymlink, link: up}},
			{{name: "a/" + hostRel + "/pwned", body: "x"}},
		}},
		{desc: "symlink named like the target file is replaced, not followed", layers: [][]ent{
			{{name: "pwned", typ: tar.TypeSymlink, link: host + "/pwned"}},
			{{name: "pwned", body: "x"}},
		}},
		{desc: "hard link to a path outside", layers: [][]ent{{{name: "h", typ: tar.TypeLink, link: "../../../../etc/passwd"}}}, wantErr: `".."`},
		{desc: "hard link through a symlink stays inside", layers: [][]ent{
			{{name: "evil", typ: tar.TypeSymlink, link: "/etc"}},
			{{name: "h", typ: tar.TypeLink, link: "evil/passwd"}},
		}, wantErr: "hard link"},
		{desc: "whiteout through a symlink removes nothing outside", layers: [][]ent{
			{{name: "evil", typ: tar.TypeSymlink, link: host}},
			{{name: "evil/.wh.keep"}},
		}},
		{desc: "whiteout with dot-dot", layers: [][]ent{{{name: "../.wh.keep"}}}, wantErr: `".."`},
		{desc: "symlink loop", layers: [][]ent{
			{{name: "l1", typ: tar.TypeSymlink, link: "l2"}, {name: "l2", typ: tar.TypeSymlink, link: "l1"}},
			{{name: "l1/x", body: "x"}},
		}, wantErr: "symlinks"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(host, "keep"), []byte("host file"), 0o644); err != nil {
				t.Fatal(err)
			}
			var layers []v1.Layer
			for _, l := range tc.layers {
				layers = append(layers, layerOf(t, l...))
			}
			dir := filepath.Join(t.TempDir(), "bundle")
			_, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/x"}}, layers...), dir)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Unpack: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("Unpack succeeded, want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not contain %q", err, tc.wantErr)
			}
			if _, err := os.Lstat(filepath.Join(host, "pwned")); !os.IsNotExist(err) {
				t.Errorf("%s/pwned exists on the host: the layer escaped the bundle", host)
			}
			if data, err := os.ReadFile(filepath.Join(host, "keep")); err != nil || string(data) != "host file" {
				t.Errorf("host file %s/keep changed or removed: %q %v", host, data, err)
			}
			if data, err := os.ReadFile("/etc/passwd"); err != nil || len(data) == 0 {
				t.Errorf("/etc/passwd damaged: %v", err)
			}
		})
	}
}

func TestUnpackRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x"), nil, 0o644)
	_, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/x"}}), dir)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want a not-empty error", err)
	}
}

func TestUnpackMaxSize(t *testing.T) {
	l := layerOf(t, ent{name: "big", body: strings.Repeat("x", 4096)})
	_, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, v1.Config{Cmd: []string{"/x"}}, l), filepath.Join(t.TempDir(), "b"), WithMaxSize(1000))
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}
