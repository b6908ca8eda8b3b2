package build

import (
	"archive/tar"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/image/layer"
)

func TestRootfs(t *testing.T) {
	lower := []layer.Entry{
		{Path: "bin", Type: tar.TypeSymlink, Linkname: "usr/bin"},
		{Path: "usr/bin/mawk", Type: tar.TypeReg, Body: []byte("mawk")},
		{Path: "usr/lib/os-release", Type: tar.TypeReg, Body: []byte("ID=debian\n")},
		{Path: "etc/os-release", Type: tar.TypeSymlink, Linkname: "../usr/lib/os-release"},
		{Path: "etc/loop", Type: tar.TypeSymlink, Linkname: "loop"},
		{Path: "etc/escape", Type: tar.TypeSymlink, Linkname: "../../../../usr/bin/mawk"},
		{Path: "usr/share/ca-certificates/mozilla/A.crt", Type: tar.TypeReg, Body: []byte("A")},
		{Path: "usr/bin/hard", Type: tar.TypeLink, Linkname: "usr/bin/mawk"},
	}
	upper := []layer.Entry{
		{Path: "usr/bin/mawk", Type: tar.TypeReg, Body: []byte("mawk2")},
		{Path: "usr/share/ca-certificates/mozilla/B.crt", Type: tar.TypeReg, Body: []byte("B")},
	}
	r := newRootfs(lower, upper)
	reads := []struct {
		desc, path, want string
		ok               bool
	}{
		{"a later layer wins", "usr/bin/mawk", "mawk2", true},
		{"through a directory symlink", "bin/mawk", "mawk2", true},
		{"through a relative file symlink", "etc/os-release", "ID=debian\n", true},
		{"a loop", "etc/loop", "", false},
		{"a link climbing above the root stays in it", "etc/escape", "mawk2", true},
		{"a hardlink reads its target", "usr/bin/hard", "mawk2", true},
		{"missing", "usr/bin/gawk", "", false},
		{"a directory is not a file", "usr/bin", "", false},
	}
	for _, tt := range reads {
		t.Run(tt.desc, func(t *testing.T) {
			got, ok := r.ReadFile(tt.path)
			if ok != tt.ok || string(got) != tt.want {
				t.Errorf("ReadFile(%q) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
	if got, want := r.ListDir("usr/share/ca-certificates/mozilla"), []string{"A.crt", "B.crt"}; !slices.Equal(got, want) {
		t.Errorf("ListDir = %q, want %q", got, want)
	}
	if got, want := r.ListDir(""), []string{"bin", "etc", "usr"}; !slices.Equal(got, want) {
		t.Errorf("ListDir(root) = %q, want %q", got, want)
	}
	if got, want := r.ListDir("bin"), []string{"hard", "mawk"}; !slices.Equal(got, want) {
		t.Errorf("ListDir(bin) = %q, want %q", got, want)
	}
}

// FuzzRootfsResolve feeds symlink targets from hostile packages to the
// lookup the system layer uses: it must terminate, never panic and never
// name a path above the root.
func FuzzRootfsResolve(f *testing.F) {
	f.Add("usr/bin", "../../..", "bin/x")
	f.Add("/", "a/../../b", "a/b/c")
	f.Add("a", "a", "a/a/a")
	f.Add("../../etc", "/usr/lib/../../..", "etc/../x/../../y")
	f.Fuzz(func(t *testing.T, target1, target2, p string) {
		r := newRootfs([]layer.Entry{
			{Path: "bin", Type: tar.TypeSymlink, Linkname: target1},
			{Path: "a", Type: tar.TypeSymlink, Linkname: target2},
			{Path: "usr/bin/x", Type: tar.TypeReg, Body: []byte("x")},
		})
		got, ok := r.resolve(p)
		if !ok {
			return
		}
		for _, c := range strings.Split(got, "/") {
			if c == ".." || c == "." {
				t.Fatalf("resolve(%q) = %q: not a clean path inside the root", p, got)
			}
		}
		r.ReadFile(p)
		r.ListDir(p)
	})
}
