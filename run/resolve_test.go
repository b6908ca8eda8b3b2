package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	mk := func(p string) { os.MkdirAll(filepath.Join(dir, p), 0o755) }
	ln := func(target, p string) { os.Symlink(target, filepath.Join(dir, p)) }
	mk("usr/bin")
	mk("run")
	ln("usr/bin", "bin")
	ln("/run", "varrun")
	ln("../../../../..", "up")
	ln("/usr/../usr/bin/../bin", "twisty")
	ln("chain2", "chain1")
	ln("/bin", "chain2")
	ln("loop2", "loop1")
	ln("loop1", "loop2")
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	tests := []struct {
		desc, in   string
		followLast bool
		want       string
		wantErr    string
	}{
		{desc: "plain", in: "usr/bin", followLast: true, want: "usr/bin"},
		{desc: "relative link", in: "bin/sh", followLast: true, want: "usr/bin/sh"},
		{desc: "last component not followed", in: "bin", followLast: false, want: "bin"},
		{desc: "last component followed", in: "bin", followLast: true, want: "usr/bin"},
		{desc: "absolute link starts at the root", in: "varrun/pid", followLast: true, want: "run/pid"},
		{desc: "dot-dot link clamps at the root", in: "up/etc/passwd", followLast: true, want: "etc/passwd"},
		{desc: "dot-dot in the input clamps", in: "../../etc", followLast: true, want: "etc"},
		{desc: "link through links", in: "chain1/x", followLast: true, want: "usr/bin/x"},
		{desc: "dots inside a target", in: "twisty/y", followLast: true, want: "usr/bin/y"},
		{desc: "missing components kept", in: "no/such/dir", followLast: true, want: "no/such/dir"},
		{desc: "root", in: "", followLast: true, want: "."},
		{desc: "loop", in: "loop1/x", followLast: true, wantErr: "symlinks"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, err := resolve(root, tc.in, tc.followLast)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("resolve(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"a/b", "./a", "/abs", "../x", "a/../b", "a//b/", ".", "", "..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := cleanName(name)
		if err != nil {
			return
		}
		if strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") {
			t.Fatalf("cleanName(%q) = %q escapes", name, p)
		}
	})
}
