package deb

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/klauspost/compress/zstd"
)

func TestReadCompressions(t *testing.T) {
	files := []debtest.File{
		{Path: "usr/bin/hello", Mode: 0o755, Body: []byte("#!/bin/sh\necho hi\n")},
		{Path: "usr/share/doc/hello/copyright", Body: []byte("public domain\n")},
		{Path: "usr/bin/hi", Linkname: "hello"},
		{Path: "usr/bin/hello2", Linkname: "./usr/bin/hello", Typeflag: tar.TypeLink},
	}
	for _, comp := range []string{"none", "gz", "xz", "zst", "bz2"} {
		t.Run(comp, func(t *testing.T) {
			raw := debtest.BuildDeb(debtest.Deb{
				Name: "hello", Version: "1.0-1", Files: files, DataCompression: comp,
				Scripts: map[string]string{"postinst": "#!/bin/sh\nexit 0\n"},
			})
			a, err := Read(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Control.Get("Package"); got != "hello" {
				t.Errorf("Package = %q, want hello", got)
			}
			if got := string(a.ControlFiles["postinst"]); got != "#!/bin/sh\nexit 0\n" {
				t.Errorf("postinst = %q", got)
			}
			if _, ok := a.ControlFiles["md5sums"]; !ok {
				t.Errorf("md5sums missing from ControlFiles: %v", keys(a.ControlFiles))
			}
			if _, ok := a.ControlFiles["control"]; ok {
				t.Error("control is in ControlFiles; it belongs in Control")
			}
			wantPaths := []string{"/.", "/usr", "/usr/bin", "/usr/bin/hello", "/usr/bin/hello2", "/usr/bin/hi",
				"/usr/share", "/usr/share/doc", "/usr/share/doc/hello", "/usr/share/doc/hello/copyright"}
			// debtest's entry order is its business; dpkg keeps archive order,
			// which the Entries comparison below checks.
			if !slices.Equal(slices.Sorted(slices.Values(a.Paths)), wantPaths) {
				t.Errorf("Paths =\n%q\nwant\n%q", a.Paths, wantPaths)
			}
			if len(a.Entries) != len(wantPaths)-1 {
				t.Fatalf("%d entries, want %d", len(a.Entries), len(wantPaths)-1)
			}
			byPath := map[string]int{}
			for i, e := range a.Entries {
				byPath[e.Path] = i
				if "/"+e.Path != a.Paths[i+1] {
					t.Errorf("entry %d path %q does not match Paths %q", i, e.Path, a.Paths[i+1])
				}
			}
			hello := a.Entries[byPath["usr/bin/hello"]]
			if hello.Type != tar.TypeReg || hello.Mode != 0o755 || string(hello.Body) != "#!/bin/sh\necho hi\n" {
				t.Errorf("usr/bin/hello = %+v", hello)
			}
			if hi := a.Entries[byPath["usr/bin/hi"]]; hi.Type != tar.TypeSymlink || hi.Linkname != "hello" {
				t.Errorf("usr/bin/hi = %+v", hi)
			}
			if h2 := a.Entries[byPath["usr/bin/hello2"]]; h2.Type != tar.TypeLink || h2.Linkname != "usr/bin/hello" {
				t.Errorf("usr/bin/hello2 = %+v, want hardlink to cleaned path usr/bin/hello", h2)
			}
		})
	}
}

// ownedTar writes entries with owners and arbitrary types, which
// debtest.TarBytes does not offer.
func ownedTar(t *testing.T, hs ...tar.Header) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, h := range hs {
		h := h
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write(bytes.Repeat([]byte("x"), int(h.Size)))
		}
	}
	tw.Close()
	return b.Bytes()
}

func TestReadOwnersAndSpecialBits(t *testing.T) {
	data := ownedTar(t,
		tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "./usr/", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "./usr/bin/", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "./usr/bin/su", Typeflag: tar.TypeReg, Mode: 0o4755, Size: 3, Uname: "root", Gname: "root"},
		tar.Header{Name: "./usr/bin/wall", Typeflag: tar.TypeReg, Mode: 0o2755, Gid: 5, Size: 1, Gname: "tty"},
		tar.Header{Name: "./var/", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "./var/mail/", Typeflag: tar.TypeDir, Mode: 0o2775, Uid: 0, Gid: 8},
		tar.Header{Name: "./var/mail/", Typeflag: tar.TypeDir, Mode: 0o3775, Uid: 1, Gid: 8},
	)
	a, err := Read(bytes.NewReader(debtest.BuildDeb(debtest.Deb{Name: "login", Version: "1", RawData: data, DataCompression: "none"})))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range a.Entries {
		got[e.Path] = strings.Join([]string{string(e.Type), itoa8(e.Mode), itoa(e.UID), itoa(e.GID)}, " ")
	}
	want := map[string]string{
		"usr": "5 755 0 0", "usr/bin": "5 755 0 0",
		"usr/bin/su":   "0 4755 0 0",
		"usr/bin/wall": "0 2755 0 5",
		"var":          "5 755 0 0",
		"var/mail":     "5 3775 1 8", // the later duplicate directory wins
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s = %q, want %q", p, got[p], w)
		}
	}
	if len(a.Entries) != len(want) {
		t.Errorf("%d entries, want %d (duplicate directory listed twice?)", len(a.Entries), len(want))
	}
	wantPaths := []string{"/.", "/usr", "/usr/bin", "/usr/bin/su", "/usr/bin/wall", "/var", "/var/mail"}
	if !slices.Equal(a.Paths, wantPaths) {
		t.Errorf("Paths = %q, want %q (archive order, duplicates once)", a.Paths, wantPaths)
	}
}

func itoa(i int) string { return strings.TrimLeft(string(rune('0'+i%10)), "") }
func itoa8(m int64) string {
	s := ""
	for ; m > 0; m /= 8 {
		s = string(rune('0'+m%8)) + s
	}
	return s
}

func keys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

func TestReadHostile(t *testing.T) {
	dir := func(p string) debtest.File { return debtest.File{Path: p, Typeflag: tar.TypeDir} }
	file := func(p string) debtest.File { return debtest.File{Path: p, Body: []byte("x")} }
	link := func(p, to string) debtest.File { return debtest.File{Path: p, Linkname: to} }
	hard := func(p, to string) debtest.File { return debtest.File{Path: p, Linkname: to, Typeflag: tar.TypeLink} }
	tests := []struct {
		desc   string
		files  []debtest.File
		path   string // expected UnsafePathError.Path
		reason string // substring of the reason
	}{
		{"parent traversal", []debtest.File{dir("./"), file("../evil")}, "../evil", `".."`},
		{"traversal in the middle", []debtest.File{dir("./"), dir("./usr/"), file("./usr/../../etc/passwd")}, "./usr/../../etc/passwd", `".."`},
		{"absolute path", []debtest.File{file("/etc/shadow")}, "/etc/shadow", "absolute"},
		{"symlink climbs above root", []debtest.File{dir("./"), dir("./usr/"), link("./usr/x", "../../etc/shadow")}, "./usr/x", "climbs above the root"},
		{"symlink at top climbs", []debtest.File{link("./x", "..")}, "./x", "climbs above the root"},
		{"write through symlink", []debtest.File{link("./etc", "/tmp"), file("./etc/passwd")}, "./etc/passwd", "passes through symlink"},
		{"write through nested symlink", []debtest.File{dir("./a/"), link("./a/b", "."), dir("./a/b/c/")}, "./a/b/c/", "passes through symlink"},
		{"hardlink absolute", []debtest.File{file("./a"), hard("./b", "/etc/shadow")}, "./b", "absolute"},
		{"hardlink dotdot", []debtest.File{file("./a"), hard("./b", "./../a")}, "./b", `".."`},
		{"hardlink to missing", []debtest.File{hard("./b", "./a")}, "./b", "not a regular file earlier"},
		{"hardlink forward", []debtest.File{hard("./b", "./a"), file("./a")}, "./b", "not a regular file earlier"},
		{"hardlink to directory", []debtest.File{dir("./d/"), hard("./b", "./d")}, "./b", "not a regular file earlier"},
		{"hardlink to symlink", []debtest.File{link("./s", "/etc/shadow"), hard("./b", "./s")}, "./b", "not a regular file earlier"},
		{"char device", []debtest.File{{Path: "./dev/null", Typeflag: tar.TypeChar}}, "./dev/null", "device node"},
		{"block device", []debtest.File{{Path: "./dev/sda", Typeflag: tar.TypeBlock}}, "./dev/sda", "device node"},
		{"fifo", []debtest.File{{Path: "./run/pipe", Typeflag: tar.TypeFifo}}, "./run/pipe", "FIFO"},
		{"duplicate file", []debtest.File{file("./a"), file("./a")}, "./a", "duplicate"},
		{"file replaced by symlink", []debtest.File{file("./a"), link("./a", "b")}, "./a", "duplicate"},
		{"dir replaced by symlink", []debtest.File{dir("./a/"), link("./a", "b")}, "./a", "duplicate"},
		{"file under a file", []debtest.File{file("./a"), file("./a/b")}, "./a/b", "not a directory"},
		{"root is a file", []debtest.File{file(".")}, ".", "root"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			raw := debtest.BuildDeb(debtest.Deb{Name: "evil", Version: "1", RawData: debtest.TarBytes(tc.files), DataCompression: "none"})
			a, err := Read(bytes.NewReader(raw))
			var ue *UnsafePathError
			if !errors.As(err, &ue) {
				t.Fatalf("Read = %v, %v; want *UnsafePathError", a, err)
			}
			if !errors.Is(err, ErrUnsafe) {
				t.Errorf("errors.Is(err, ErrUnsafe) is false for %v", err)
			}
			if ue.Package != "evil" || ue.Path != tc.path || !strings.Contains(ue.Reason, tc.reason) {
				t.Errorf("got {%q %q %q}, want {evil %q ~%q}", ue.Package, ue.Path, ue.Reason, tc.path, tc.reason)
			}
			if !strings.Contains(err.Error(), "evil") || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q does not name the package and the path", err)
			}
		})
	}
}

func TestReadSafeLinks(t *testing.T) {
	files := []debtest.File{
		{Path: "./", Typeflag: tar.TypeDir},
		{Path: "./usr/", Typeflag: tar.TypeDir},
		{Path: "./usr/lib/", Typeflag: tar.TypeDir},
		{Path: "./usr/lib/a", Linkname: "../../etc/a"},     // back to the root, not above
		{Path: "./usr/lib/b", Linkname: "/../../../etc/b"}, // absolute: resolves from the image root
		{Path: "./usr/lib/c", Linkname: "./x/../../lib/c"}, // climbs and descends, stays inside
		{Path: "./usr/lib/d", Linkname: "/usr/lib/a"},      // symlink to a symlink
		{Path: "./usr/lib/e", Linkname: "d"},
		{Path: "./lib", Linkname: "usr/lib"}, // merged-/usr style link itself is fine
	}
	raw := debtest.BuildDeb(debtest.Deb{Name: "ok", Version: "1", RawData: debtest.TarBytes(files), DataCompression: "none"})
	a, err := Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Entries) != len(files)-1 {
		t.Errorf("%d entries, want %d", len(a.Entries), len(files)-1)
	}
}

func TestReadLimits(t *testing.T) {
	big := debtest.BuildDeb(debtest.Deb{Name: "big", Version: "1", Files: []debtest.File{
		{Path: "a", Body: bytes.Repeat([]byte("a"), 1<<20)},
		{Path: "b", Body: []byte("b")}, {Path: "c", Body: []byte("c")},
	}})
	tests := []struct {
		desc string
		opts []Option
		ok   bool
	}{
		{"defaults", nil, true},
		{"size below content", []Option{WithMaxSize(512 << 10)}, false},
		{"size above content", []Option{WithMaxSize(2 << 20)}, true},
		{"too many entries", []Option{WithMaxEntries(4)}, false},
		{"enough entries", []Option{WithMaxEntries(20)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := Read(bytes.NewReader(big), tc.opts...)
			if tc.ok && err != nil {
				t.Fatal(err)
			}
			if !tc.ok && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Read = %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestReadMalformed(t *testing.T) {
	good := debtest.BuildDeb(debtest.Deb{Name: "p", Version: "1", Files: []debtest.File{{Path: "a", Body: []byte("a")}}})
	member := func(name string, body []byte) []byte {
		var b bytes.Buffer
		b.WriteString(padRight(name, 16) + padRight("0", 12) + padRight("0", 6) + padRight("0", 6) + padRight("100644", 8) + padRight(itoaN(len(body)), 10) + "`\n")
		b.Write(body)
		if len(body)%2 == 1 {
			b.WriteByte('\n')
		}
		return b.Bytes()
	}
	ctl := debtest.TarBytes([]debtest.File{{Path: "./control", Body: []byte("Package: p\nVersion: 1\n")}})
	data := debtest.TarBytes([]debtest.File{{Path: "./a", Body: []byte("a")}})
	join := func(parts ...[]byte) []byte { return bytes.Join(append([][]byte{[]byte("!<arch>\n")}, parts...), nil) }
	tests := []struct {
		desc  string
		input []byte
		want  string
	}{
		{"empty", nil, "too short"},
		{"not ar", []byte("PK\x03\x04 zip file........"), "no ar magic"},
		{"truncated", good[:len(good)/2], ""},
		{"no members", []byte("!<arch>\n"), "empty ar archive"},
		{"wrong first member", join(member("control.tar", ctl)), "debian-binary"},
		{"bad version", join(member("debian-binary", []byte("3.0\n"))), "format version"},
		{"gnu long name", join(member("debian-binary", []byte("2.0\n")), member("//", []byte("x"))), "GNU special"},
		{"bsd long name", join(member("debian-binary", []byte("2.0\n")), member("#1/20", []byte("x"))), "BSD"},
		{"data before control", join(member("debian-binary", []byte("2.0\n")), member("data.tar", data)), "unexpected member"},
		{"no data", join(member("debian-binary", []byte("2.0\n")), member("control.tar", ctl)), "no data.tar"},
		{"unknown compression", join(member("debian-binary", []byte("2.0\n")), member("control.tar", ctl), member("data.tar.lz4", data)), "unsupported compression"},
		{"bz2 control", join(member("debian-binary", []byte("2.0\n")), member("control.tar.bz2", ctl)), "unsupported compression"},
		{"no control file", join(member("debian-binary", []byte("2.0\n")), member("control.tar", data), member("data.tar", data)), "no control file"},
		{"bad gzip", join(member("debian-binary", []byte("2.0\n")), member("control.tar", ctl), member("data.tar.gz", data)), "gzip"},
		{"symlink in control", join(member("debian-binary", []byte("2.0\n")), member("control.tar", debtest.TarBytes([]debtest.File{{Path: "./control", Linkname: "/etc/passwd"}})), member("data.tar", data)), "not a regular file"},
		{"nested control member", join(member("debian-binary", []byte("2.0\n")), member("control.tar", debtest.TarBytes([]debtest.File{{Path: "./x/control", Body: []byte("Package: p\n")}})), member("data.tar", data)), "plain file name"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.input), WithName("p"))
			if err == nil {
				t.Fatal("Read succeeded on malformed input")
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %v does not match ErrFormat", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
	t.Run("signature members are skipped", func(t *testing.T) {
		in := join(member("debian-binary", []byte("2.0\n")), member("_gpgorigin", []byte("sig")), member("control.tar", ctl), member("data.tar", data))
		if _, err := Read(bytes.NewReader(in)); err != nil {
			t.Fatal(err)
		}
	})
}

func padRight(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }
func itoaN(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestReadControlCompressions(t *testing.T) {
	ctl := debtest.TarBytes([]debtest.File{
		{Path: "./", Typeflag: tar.TypeDir},
		{Path: "./control", Body: []byte("Package: c\nVersion: 1\nDescription: x\n more\n")},
		{Path: "./conffiles", Body: []byte("/etc/c.conf\n")},
	})
	data := debtest.TarBytes([]debtest.File{{Path: "./etc/c.conf", Body: []byte("c")}})
	for _, comp := range []string{"", "gz", "xz", "zst"} {
		t.Run("control.tar."+comp, func(t *testing.T) {
			name := "control.tar"
			if comp != "" {
				name += "." + comp
			}
			body := compressFor(t, comp, ctl)
			in := "!<arch>\n" + arHeader("debian-binary", 4) + "2.0\n" + arHeader(name, len(body)) + string(body)
			if len(body)%2 == 1 {
				in += "\n"
			}
			in += arHeader("data.tar", len(data)) + string(data)
			a, err := Read(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if a.Control.Get("Description") != "x\nmore" || string(a.ControlFiles["conffiles"]) != "/etc/c.conf\n" {
				t.Errorf("control %v, files %v", a.Control, keys(a.ControlFiles))
			}
		})
	}
}

func compressFor(t *testing.T, comp string, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var w io.WriteCloser
	switch comp {
	case "":
		return b
	case "gz":
		w = gzip.NewWriter(&out)
	case "xz":
		return xzBytes(t, b)
	case "zst":
		w, _ = zstd.NewWriter(&out)
	}
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
