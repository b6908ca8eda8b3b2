package layer

import (
	"archive/tar"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func reg(p, body string) Entry {
	return Entry{Path: p, Type: tar.TypeReg, Mode: 0o644, Body: []byte(body)}
}
func dir(p string) Entry      { return Entry{Path: p, Type: tar.TypeDir, Mode: 0o755} }
func sym(p, to string) Entry  { return Entry{Path: p, Type: tar.TypeSymlink, Mode: 0o777, Linkname: to} }
func hard(p, to string) Entry { return Entry{Path: p, Type: tar.TypeLink, Mode: 0o644, Linkname: to} }

// listing renders entries as "path type [-> link]" lines.
func listing(es []Entry) []string {
	var out []string
	for _, e := range es {
		l := e.Path + " " + typeName(e.Type)
		if e.Linkname != "" {
			l += " -> " + e.Linkname
		}
		out = append(out, l)
	}
	return out
}

func TestEntriesSortedWithImpliedDirs(t *testing.T) {
	b := NewBuilder(WithMergedUsr(false))
	err := b.Add("p",
		reg("usr/share/doc/p/copyright", "c"),
		reg("usr/bin/p", "p"),
		reg("usr/bin/p-extra", "x"),
		dir("etc"),
		reg("etc/p.conf", "conf"),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"etc directory", "etc/p.conf regular file",
		"usr directory", "usr/bin directory", "usr/bin/p regular file", "usr/bin/p-extra regular file",
		"usr/share directory", "usr/share/doc directory", "usr/share/doc/p directory", "usr/share/doc/p/copyright regular file",
	}
	got := b.Entries()
	if !slices.Equal(listing(got), want) {
		t.Errorf("Entries =\n%q\nwant\n%q", listing(got), want)
	}
	for _, e := range got {
		if e.Type == tar.TypeDir && (e.Mode != 0o755 || e.UID != 0 || e.GID != 0) {
			t.Errorf("implied dir %s = %o %d:%d, want 0755 root", e.Path, e.Mode, e.UID, e.GID)
		}
	}
}

func TestMergedUsrRewrite(t *testing.T) {
	tests := []struct {
		desc    string
		entries []Entry
		want    []string
	}{
		{"files move under usr",
			[]Entry{dir("bin"), reg("bin/sh", "sh"), reg("sbin/init", "i"), reg("lib/x86_64-linux-gnu/libc.so.6", "c"), sym("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")},
			[]string{"usr directory", "usr/bin directory", "usr/bin/sh regular file", "usr/lib directory", "usr/lib/x86_64-linux-gnu directory",
				"usr/lib/x86_64-linux-gnu/libc.so.6 regular file", "usr/lib64 directory",
				"usr/lib64/ld-linux-x86-64.so.2 symlink -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "usr/sbin directory", "usr/sbin/init regular file"}},
		{"hardlink targets move too",
			[]Entry{reg("bin/gzip", "gz"), hard("bin/gunzip", "bin/gzip")},
			[]string{"usr directory", "usr/bin directory", "usr/bin/gunzip regular file", "usr/bin/gzip hardlink -> usr/bin/gunzip"}},
		{"package shipping the top-level links (trixie base-files)",
			append([]Entry{sym("bin", "usr/bin"), sym("lib", "/usr/lib"), dir("usr/bin")}, MergedUsrLinks("arm64")...),
			[]string{"bin symlink -> usr/bin", "lib symlink -> usr/lib", "sbin symlink -> usr/sbin", "usr directory", "usr/bin directory", "usr/lib directory", "usr/sbin directory"}},
		{"directory lib/ and the lib symlink", append(MergedUsrLinks("arm64"), dir("lib"), dir("lib/modules")),
			[]string{"bin symlink -> usr/bin", "lib symlink -> usr/lib", "sbin symlink -> usr/sbin", "usr directory", "usr/bin directory", "usr/lib directory", "usr/lib/modules directory", "usr/sbin directory"}},
		{"lookalike names stay", []Entry{reg("binary", "b"), reg("library/x", "l"), reg("usr/lib/y", "y")},
			[]string{"binary regular file", "library directory", "library/x regular file", "usr directory", "usr/lib directory", "usr/lib/y regular file"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			b := NewBuilder()
			if err := b.Add("pkg", tc.entries...); err != nil {
				t.Fatal(err)
			}
			if got := listing(b.Entries()); !slices.Equal(got, tc.want) {
				t.Errorf("Entries =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	t.Run("disabled", func(t *testing.T) {
		b := NewBuilder(WithMergedUsr(false))
		if err := b.Add("pkg", reg("bin/sh", "sh")); err != nil {
			t.Fatal(err)
		}
		if got := listing(b.Entries()); !slices.Equal(got, []string{"bin directory", "bin/sh regular file"}) {
			t.Errorf("Entries = %q", got)
		}
	})
}

func TestConflicts(t *testing.T) {
	withMode := func(e Entry, m int64) Entry { e.Mode = m; return e }
	withOwner := func(e Entry, u int) Entry { e.UID = u; return e }
	tests := []struct {
		desc        string
		first, next []Entry
		merged      bool
		reason      string // "" means no conflict
	}{
		{"identical files", []Entry{reg("etc/a", "x")}, []Entry{reg("etc/a", "x")}, false, ""},
		{"different content", []Entry{reg("etc/a", "x")}, []Entry{reg("etc/a", "y")}, false, "different content"},
		{"different mode", []Entry{reg("etc/a", "x")}, []Entry{withMode(reg("etc/a", "x"), 0o600)}, false, "different modes"},
		{"different owner", []Entry{reg("etc/a", "x")}, []Entry{withOwner(reg("etc/a", "x"), 1)}, false, "different owners"},
		{"same symlink", []Entry{sym("etc/l", "a")}, []Entry{sym("etc/l", "a")}, false, ""},
		{"different symlinks", []Entry{sym("etc/l", "a")}, []Entry{sym("etc/l", "b")}, false, "different targets"},
		{"directory then file", []Entry{dir("etc/a")}, []Entry{reg("etc/a", "x")}, false, "a directory and a regular file"},
		{"file then directory", []Entry{reg("etc/a", "x")}, []Entry{dir("etc/a")}, false, "a regular file and a directory"},
		{"file where a directory is implied", []Entry{reg("etc/a/b", "x")}, []Entry{reg("etc/a", "x")}, false, "where a directory holds"},
		{"entry below a file", []Entry{reg("etc/a", "x")}, []Entry{reg("etc/a/b", "x")}, false, "parent /etc/a is a regular file"},
		{"entry below a symlink", []Entry{sym("etc/a", "/tmp")}, []Entry{reg("etc/a/b", "x")}, false, "parent /etc/a is a symlink"},
		{"directories twice, later wins", []Entry{dir("var/mail")}, []Entry{withMode(dir("var/mail"), 0o2775)}, false, ""},
		{"same file via merged-usr", []Entry{reg("bin/sh", "x")}, []Entry{reg("usr/bin/sh", "x")}, true, ""},
		{"different file via merged-usr", []Entry{reg("bin/sh", "x")}, []Entry{reg("usr/bin/sh", "y")}, true, "different content"},
		{"top-level file where merged-usr needs a link", nil, []Entry{reg("lib", "x")}, true, "merged-/usr needs the symlink"},
		{"top-level foreign link", nil, []Entry{sym("bin", "/opt/bin")}, true, "merged-/usr needs the symlink"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			b := NewBuilder(WithMergedUsr(tc.merged))
			if err := b.Add("first-pkg", tc.first...); err != nil {
				t.Fatal(err)
			}
			err := b.Add("second-pkg", tc.next...)
			if tc.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *ConflictError
			if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) {
				t.Fatalf("Add = %v, want *ConflictError", err)
			}
			if !strings.Contains(ce.Reason, tc.reason) {
				t.Errorf("reason %q does not mention %q", ce.Reason, tc.reason)
			}
			msg := err.Error()
			if !strings.Contains(msg, "second-pkg") || (len(tc.first) > 0 && !strings.Contains(msg, "first-pkg")) {
				t.Errorf("error %q does not name both origins", msg)
			}
		})
	}
	t.Run("directory metadata: later wins", func(t *testing.T) {
		b := NewBuilder()
		b.Add("a", dir("var/mail"))
		b.Add("b", withOwner(withMode(dir("var/mail"), 0o2775), 8))
		for _, e := range b.Entries() {
			if e.Path == "var/mail" && (e.Mode != 0o2775 || e.UID != 8) {
				t.Errorf("var/mail = %o uid %d, want 2775 uid 8", e.Mode, e.UID)
			}
		}
	})
}

func TestInvalidEntries(t *testing.T) {
	tests := []struct {
		desc string
		e    Entry
	}{
		{"absolute", reg("/etc/passwd", "x")},
		{"unclean", reg("usr//bin/x", "x")},
		{"dot prefix", reg("./usr/bin/x", "x")},
		{"dotdot", reg("../x", "x")},
		{"root", dir(".")},
		{"empty", reg("", "x")},
		{"type bits in mode", Entry{Path: "a", Type: tar.TypeReg, Mode: 0o100644}},
		{"device", Entry{Path: "dev/null", Type: tar.TypeChar, Mode: 0o666}},
		{"symlink without target", Entry{Path: "a", Type: tar.TypeSymlink}},
		{"directory with content", Entry{Path: "a", Type: tar.TypeDir, Body: []byte("x")}},
		{"negative owner", Entry{Path: "a", Type: tar.TypeReg, UID: -1}},
		{"hardlink to nothing", hard("a", "b")},
		{"hardlink absolute", hard("a", "/etc/shadow")},
		{"hardlink to directory", hard("a", "etc")},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			b := NewBuilder(WithMergedUsr(false))
			b.Add("setup", dir("etc"))
			err := b.Add("spec file", tc.e)
			if !errors.Is(err, ErrInvalidEntry) {
				t.Fatalf("Add = %v, want ErrInvalidEntry", err)
			}
			if !strings.Contains(err.Error(), "spec file") {
				t.Errorf("error %q does not name the origin", err)
			}
		})
	}
}

func TestHardlinkSetsFollowTarOrder(t *testing.T) {
	// The package ships the content on "z" and links "a" and "m" to it; in
	// the sorted tar, "a" must carry the content and the others link to it.
	b := NewBuilder()
	z := reg("usr/bin/z", "content")
	z.Mode, z.GID = 0o2755, 5
	if err := b.Add("p", z, hard("usr/bin/m", "usr/bin/z"), hard("usr/bin/a", "usr/bin/m")); err != nil {
		t.Fatal(err)
	}
	got := b.Entries()
	want := []string{"usr directory", "usr/bin directory", "usr/bin/a regular file", "usr/bin/m hardlink -> usr/bin/a", "usr/bin/z hardlink -> usr/bin/a"}
	if !slices.Equal(listing(got), want) {
		t.Fatalf("Entries =\n%q\nwant\n%q", listing(got), want)
	}
	if a := got[2]; string(a.Body) != "content" || a.Mode != 0o2755 || a.GID != 5 {
		t.Errorf("usr/bin/a = %+v, want the file's content, mode and owner", a)
	}
}

func TestComparePaths(t *testing.T) {
	in := []string{"a-b", "a/b", "a", "a/b/c", "a.b", "ab", "a/a"}
	slices.SortFunc(in, comparePaths)
	want := []string{"a", "a/a", "a/b", "a/b/c", "a-b", "a.b", "ab"}
	if !slices.Equal(in, want) {
		t.Errorf("sorted = %q, want %q", in, want)
	}
}

func TestImpliedDirsInheritLower(t *testing.T) {
	tmp := dir("tmp")
	tmp.Mode = 0o1777
	root := dir("root")
	root.Mode = 0o700
	mail := dir("var/mail")
	mail.Mode, mail.GID = 0o2775, 8
	lower := []Entry{tmp, root, mail, dir("lib"), reg("etc/x", "x")}
	b := NewBuilder(WithLower(lower))
	if err := b.Add("upper", reg("tmp/.keep", ""), reg("root/.profile", "p"), reg("var/mail/.keep", ""), reg("lib/m/x", "x")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tmp": "1777 0:0", "root": "700 0:0", "var": "755 0:0", "var/mail": "2775 0:8", "usr/lib": "755 0:0", "usr/lib/m": "755 0:0"}
	for _, e := range b.Entries() {
		if w, ok := want[e.Path]; ok {
			if got := fmt.Sprintf("%o %d:%d", e.Mode, e.UID, e.GID); got != w {
				t.Errorf("%s = %s, want %s", e.Path, got, w)
			}
			delete(want, e.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("implied directories missing: %v", want)
	}
}
