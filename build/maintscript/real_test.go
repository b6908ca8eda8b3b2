package maintscript

import (
	"archive/tar"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// unpackReal unpacks a real .deb into root with dpkg-deb and returns it as
// Installed, its file list read from the data tarball as dpkg records it.
func unpackReal(t *testing.T, file, root string) Installed {
	t.Helper()
	if out, err := exec.Command("dpkg-deb", "-x", file, root).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x %s: %v\n%s", file, err, out)
	}
	ctl := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "-e", file, ctl).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -e %s: %v\n%s", file, err, out)
	}
	files := map[string][]byte{}
	ents, _ := os.ReadDir(ctl)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(ctl, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	paras, err := debian.ParseControl(bytes.NewReader(files["control"]))
	if err != nil || len(paras) != 1 {
		t.Fatalf("control of %s: %v", file, err)
	}
	p, err := debian.PackageFromParagraph(paras[0])
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := exec.Command("dpkg-deb", "--fsys-tarfile", file).Output()
	if err != nil {
		t.Fatalf("dpkg-deb --fsys-tarfile %s: %v", file, err)
	}
	var paths []string
	tr := tar.NewReader(bytes.NewReader(fsys))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(h.Name, "."), "/")
		if name == "" {
			name = "/."
		}
		paths = append(paths, name)
	}
	return Installed{Package: p, Control: paras[0], ControlFiles: files, Paths: paths}
}

// TestRealPackages runs Generate on real ca-certificates, mawk, base-passwd
// and base-files, and checks the result against the real tools:
// update-ca-certificates (from the package itself), openssl rehash,
// dpkg-query, and base-passwd's master files.
func TestRealPackages(t *testing.T) {
	names := []string{"base-files", "base-passwd", "ca-certificates", "mawk"}
	root := t.TempDir()
	debs := testenv.DownloadDebs(t, names...)
	testenv.RequireTool(t, "dpkg-deb")
	var pkgs []Installed
	for _, n := range names {
		pkgs = append(pkgs, unpackReal(t, debs[n], root))
	}
	fs := dirRoot(root)
	in := Input{Arch: "amd64", Packages: pkgs, ReadFile: fs.ReadFile, ListDir: fs.ListDir,
		Users: []User{{Name: "nonroot", UID: 65532, GID: 65532, Home: "/home/nonroot"}}}
	res, err := Emulate(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		t.Logf("skipped: %s", s)
	}
	m := entryMap(res.Entries)

	t.Run("CA bundle matches update-ca-certificates", func(t *testing.T) {
		bundle := mustEntry(t, m, "etc/ssl/certs/ca-certificates.crt").Body
		if n := bytes.Count(bundle, []byte("-----BEGIN CERTIFICATE-----")); n <= 100 {
			t.Fatalf("bundle holds %d certificates, want more than 100", n)
		}
		// The debconf default the postinst writes is the config script's CERTS_LIST.
		list := regexp.MustCompile(`CERTS_LIST="([^"]*)"`).FindSubmatch(pkgs[2].ControlFiles["config"])
		if list == nil {
			t.Fatal("no CERTS_LIST in ca-certificates' config script")
		}
		var want []string
		for _, c := range strings.Split(string(list[1]), ",") {
			want = append(want, strings.TrimSpace(c))
		}
		sort.Strings(want)
		conf := string(mustEntry(t, m, "etc/ca-certificates.conf").Body)
		if got := strings.TrimPrefix(conf, caConfHeader); got != strings.Join(want, "\n")+"\n" {
			t.Errorf("ca-certificates.conf differs from the sorted debconf default")
		}

		// Run the package's own update-ca-certificates on a copy of the
		// root with our ca-certificates.conf, and compare.
		testenv.RequireTool(t, "openssl", "sh")
		oracle := t.TempDir()
		for _, n := range names {
			if out, err := exec.Command("dpkg-deb", "-x", debs[n], oracle).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb -x: %v\n%s", err, out)
			}
		}
		if err := os.WriteFile(filepath.Join(oracle, "etc/ca-certificates.conf"), []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", filepath.Join(oracle, "usr/sbin/update-ca-certificates"), "--sysroot", oracle, "--hooksdir", "")
		cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("update-ca-certificates: %v\n%s", err, out)
		}
		wantBundle, err := os.ReadFile(filepath.Join(oracle, "etc/ssl/certs/ca-certificates.crt"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(bundle, wantBundle) {
			t.Errorf("bundle differs from update-ca-certificates' (%d vs %d bytes)", len(bundle), len(wantBundle))
		}
		got, wantLinks := certLinks(res.Entries), map[string]string{}
		ents, _ := os.ReadDir(filepath.Join(oracle, "etc/ssl/certs"))
		for _, e := range ents {
			if target, err := os.Readlink(filepath.Join(oracle, "etc/ssl/certs", e.Name())); err == nil {
				if strings.HasPrefix(target, oracle) { // --sysroot's "ROOT//usr/share/..."
					target = filepath.Clean(strings.TrimPrefix(target, oracle))
				}
				wantLinks[e.Name()] = target
			}
		}
		if len(got) < 200 || !equalMaps(got, wantLinks) {
			for k, v := range wantLinks {
				if got[k] != v {
					t.Errorf("%s -> %q, update-ca-certificates made -> %q", k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := wantLinks[k]; !ok {
					t.Errorf("extra link %s -> %q", k, v)
				}
			}
			t.Fatalf("etc/ssl/certs links differ (%d ours, %d theirs)", len(got), len(wantLinks))
		}
	})

	t.Run("awk alternatives", func(t *testing.T) {
		for p, target := range map[string]string{
			"usr/bin/awk":          "/etc/alternatives/awk",
			"etc/alternatives/awk": "/usr/bin/mawk",
			"usr/bin/nawk":         "/etc/alternatives/nawk",
		} {
			if e := mustEntry(t, m, p); e.Linkname != target {
				t.Errorf("%s -> %s, want %s", p, e.Linkname, target)
			}
		}
		admin := string(mustEntry(t, m, "var/lib/dpkg/alternatives/awk").Body)
		if !strings.HasPrefix(admin, "auto\n/usr/bin/awk\n") || !strings.Contains(admin, "\n/usr/bin/mawk\n5\n") {
			t.Errorf("alternatives/awk:\n%s", admin)
		}
	})

	t.Run("accounts from base-passwd", func(t *testing.T) {
		master, _ := fs.ReadFile("usr/share/base-passwd/passwd.master")
		passwd := string(mustEntry(t, m, "etc/passwd").Body)
		for _, l := range strings.Split(strings.TrimSpace(string(master)), "\n") {
			if !strings.Contains(passwd, strings.Replace(l, ":*:", ":x:", 1)+"\n") {
				t.Errorf("etc/passwd lacks master line %q", l)
			}
		}
		if !strings.Contains(passwd, "nonroot:x:65532:65532::/home/nonroot:/usr/sbin/nologin\n") {
			t.Errorf("etc/passwd lacks the spec user:\n%s", passwd)
		}
	})

	t.Run("dpkg-query reads the database", func(t *testing.T) {
		testenv.RequireTool(t, "dpkg-query")
		out := t.TempDir()
		writeEntries(t, out, res.Entries)
		got, err := exec.Command("dpkg-query", "--admindir="+filepath.Join(out, "var/lib/dpkg"), "-W", "-f", "${Package} ${Version} ${Status}\n").CombinedOutput()
		if err != nil {
			t.Fatalf("dpkg-query: %v\n%s", err, got)
		}
		var want []string
		for _, p := range pkgs {
			want = append(want, p.Package.Name+" "+p.Package.Version.String()+" install ok installed")
		}
		if string(got) != strings.Join(want, "\n")+"\n" {
			t.Errorf("dpkg-query -W:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
		}
		list, err := exec.Command("dpkg-query", "--admindir="+filepath.Join(out, "var/lib/dpkg"), "-L", "mawk").CombinedOutput()
		if err != nil || !strings.Contains(string(list), "\n/usr/bin/mawk\n") {
			t.Errorf("dpkg-query -L mawk: %v\n%s", err, list)
		}
		// Conffiles hashes are those of the files as unpacked.
		conf, err := exec.Command("dpkg-query", "--admindir="+filepath.Join(out, "var/lib/dpkg"), "-W", "-f", "${Conffiles}", "base-files").CombinedOutput()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(conf)), "\n")
		if len(lines) < 3 {
			t.Fatalf("base-files has %d conffiles in the status", len(lines))
		}
		for _, l := range lines {
			f := strings.Fields(l)
			body, ok := fs.ReadFile(strings.TrimPrefix(f[0], "/"))
			if sum := md5.Sum(body); !ok || len(f) < 2 || hex.EncodeToString(sum[:]) != f[1] {
				t.Errorf("conffile %q does not match the file's MD5 %x", l, sum)
			}
		}
	})
}

// certLinks is every symlink generated in etc/ssl/certs, by name.
func certLinks(entries []layer.Entry) map[string]string {
	out := map[string]string{}
	for _, e := range entries {
		if e.Type == tar.TypeSymlink && filepath.Dir(e.Path) == "etc/ssl/certs" {
			out[filepath.Base(e.Path)] = e.Linkname
		}
	}
	return out
}
