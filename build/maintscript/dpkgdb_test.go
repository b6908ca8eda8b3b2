package maintscript

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// dbFixture is three packages: base-files with conffiles, mawk (Multi-Arch:
// foreign, maintainer scripts) and libc6 (Multi-Arch: same).
func dbFixture(t *testing.T) (memRoot, []Installed) {
	root, mawk := mawkRoot(t)
	root.files["etc/debian_version"] = []byte("12.4\n")
	root.files["etc/host.conf"] = []byte("multi on\n")
	bf := installedFrom(t, readTestdata(t, "base-files.control"), map[string]string{
		"conffiles": readTestdata(t, "base-files.conffiles"),
		"md5sums":   "0123456789abcdef0123456789abcdef  etc/issue\n",
		"postinst":  "#!/bin/sh\nexit 0\n",
	}, "/.", "/etc", "/etc/debian_version", "/etc/host.conf", "/etc/issue")
	mawk.ControlFiles["md5sums"] = []byte("d41d8cd98f00b204e9800998ecf8427e  usr/bin/mawk\n")
	libc := installedFrom(t, control("libc6", "2.36-9+deb12u4", "Essential: no\nMulti-Arch: same\nSource: glibc\nHomepage: https://example.org/\nSHA256: 00\n"),
		map[string]string{"shlibs": "libc 6 libc6\n", "triggers": "activate-noawait ldconfig\n"}, "/.", "/usr", "/usr/lib", "/usr/lib/x86_64-linux-gnu/libc.so.6")
	return root, []Installed{mawk, libc, bf}
}

func TestDpkgStatus(t *testing.T) {
	root, pkgs := dbFixture(t)
	entries, err := Generate(root.input("amd64", pkgs...))
	if err != nil {
		t.Fatal(err)
	}
	m := entryMap(entries)
	status := mustEntry(t, m, "var/lib/dpkg/status").Body
	paras, err := debian.ParseControl(bytes.NewReader(status))
	if err != nil {
		t.Fatalf("status does not parse back: %v\n%s", err, status)
	}
	var names []string
	for _, p := range paras {
		names = append(names, p.Get("Package"))
		if p.Get("Status") != "install ok installed" {
			t.Errorf("%s: Status %q", p.Get("Package"), p.Get("Status"))
		}
	}
	if got := strings.Join(names, " "); got != "base-files libc6 mawk" {
		t.Errorf("packages in status: %s, want sorted base-files libc6 mawk", got)
	}

	// Field order as dpkg writes it: Essential before Status, known fields
	// in dpkg's order, Conffiles before Description, others after.
	var order []string
	for _, f := range paras[0].Fields {
		order = append(order, f.Name)
	}
	wantOrder := "Package Essential Status Priority Section Installed-Size Maintainer Architecture Multi-Arch Version Replaces Provides Pre-Depends Breaks Conffiles Description"
	if got := strings.Join(order, " "); got != wantOrder {
		t.Errorf("base-files fields:\n%s\nwant\n%s", got, wantOrder)
	}
	if got := strings.Join(fieldNames(paras[1]), " "); got != "Package Status Maintainer Architecture Multi-Arch Source Version Description Homepage" {
		t.Errorf("libc6 fields (SHA256 dropped, Homepage last): %s", got)
	}
	sum := func(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	wantConf := "\n/etc/debian_version " + sum("12.4\n") +
		"\n/etc/dpkg/origins/debian newconffile" +
		"\n/etc/host.conf " + sum("multi on\n") +
		"\n/etc/issue 0123456789abcdef0123456789abcdef" +
		"\n/etc/issue.net newconffile\n/etc/update-motd.d/10-uname newconffile"
	if got := paras[0].Get("Conffiles"); got != wantConf {
		t.Errorf("Conffiles:\n%q\nwant\n%q", got, wantConf)
	}

	for p, mode := range map[string]int64{
		"var/lib/dpkg/info/mawk.list":            0o644,
		"var/lib/dpkg/info/mawk.postinst":        0o755,
		"var/lib/dpkg/info/mawk.md5sums":         0o644,
		"var/lib/dpkg/info/libc6:amd64.list":     0o644,
		"var/lib/dpkg/info/libc6:amd64.shlibs":   0o644,
		"var/lib/dpkg/info/libc6:amd64.triggers": 0o644,
		"var/lib/dpkg/info/base-files.conffiles": 0o644,
		"var/lib/dpkg/info/format":               0o644,
		"var/lib/dpkg/available":                 0o644,
		"var/lib/dpkg/arch":                      0o644,
	} {
		if e := mustEntry(t, m, p); e.Mode != mode {
			t.Errorf("%s mode %o, want %o", p, e.Mode, mode)
		}
	}
	if got := string(m["var/lib/dpkg/info/base-files.list"].Body); got != "/.\n/etc\n/etc/debian_version\n/etc/host.conf\n/etc/issue\n" {
		t.Errorf("base-files.list = %q", got)
	}
	if got := string(m["var/lib/dpkg/arch"].Body); got != "amd64\n" {
		t.Errorf("arch = %q", got)
	}
	for _, d := range []string{"var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/lib/dpkg/alternatives"} {
		mustEntry(t, m, d)
	}
}

func fieldNames(p debian.Paragraph) []string {
	var out []string
	for _, f := range p.Fields {
		out = append(out, f.Name)
	}
	return out
}

// TestDpkgQuery reads the generated database with the real dpkg-query.
func TestDpkgQuery(t *testing.T) {
	testenv.RequireTool(t, "dpkg-query")
	root, pkgs := dbFixture(t)
	entries, err := Generate(root.input("amd64", pkgs...))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeEntries(t, dir, entries)
	admin := filepath.Join(dir, "var/lib/dpkg")

	out, err := exec.Command("dpkg-query", "--admindir="+admin, "-W", "-f", "${Package} ${Version} ${Status}\n").CombinedOutput()
	if err != nil {
		t.Fatalf("dpkg-query -W: %v\n%s", err, out)
	}
	want := "base-files 12.4+deb12u15 install ok installed\n" +
		"libc6 2.36-9+deb12u4 install ok installed\n" +
		"mawk 1.3.4.20200120-3.1 install ok installed\n"
	if string(out) != want {
		t.Errorf("dpkg-query -W:\n%s\nwant\n%s", out, want)
	}
	for pkg, want := range map[string]string{
		"mawk":        "/.\n/usr\n/usr/bin\n/usr/bin/mawk\n/usr/share\n/usr/share/man\n/usr/share/man/man1\n/usr/share/man/man1/mawk.1.gz\n",
		"libc6:amd64": "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu/libc.so.6\n",
	} {
		out, err := exec.Command("dpkg-query", "--admindir="+admin, "-L", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("dpkg-query -L %s: %v\n%s", pkg, err, out)
		}
		if string(out) != want {
			t.Errorf("dpkg-query -L %s:\n%s\nwant\n%s", pkg, out, want)
		}
	}
	out, err = exec.Command("dpkg-query", "--admindir="+admin, "-W", "-f", "${Conffiles}\n", "base-files").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "/etc/host.conf ") {
		t.Errorf("dpkg-query Conffiles: %v\n%s", err, out)
	}
	out, err = exec.Command("dpkg-query", "--admindir="+admin, "-S", "/usr/bin/mawk").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "mawk: /usr/bin/mawk" {
		t.Errorf("dpkg-query -S: %v\n%s", err, out)
	}
}

func TestDpkgRejectsHostileNames(t *testing.T) {
	root := memRoot{files: map[string][]byte{}}
	tests := []struct {
		desc string
		p    Installed
		want string
	}{
		{"member with a slash", installedFrom(t, control("p", "1"), map[string]string{"../../etc/x": "x"}, "/."), "control member"},
		{"path with a newline", installedFrom(t, control("p", "1"), nil, "/.", "/a\n/b"), "newline"},
		{"package name with a slash", installedFrom(t, strings.Replace(control("p", "1"), "Package: p", "Package: ../p", 1), nil, "/."), "invalid name"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Generate(root.input("amd64", tt.p))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to mention %q", err, tt.want)
			}
		})
	}
	dup := installedFrom(t, control("p", "1"), nil, "/.")
	if _, err := Generate(root.input("amd64", dup, dup)); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("duplicate package: %v", err)
	}
}
