package layer_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestRealPackagesLayer reads real packages (base-files ships bin/, lib/
// and sbin/ directories, libc6 ships the dynamic loader under lib/ and
// lib64/), builds one merged-/usr layer and lists it with GNU tar.
func TestRealPackagesLayer(t *testing.T) {
	testenv.RequireTool(t, "tar", "dpkg")
	archOut, err := exec.Command("dpkg", "--print-architecture").Output()
	if err != nil {
		t.Skipf("dpkg --print-architecture: %v", err)
	}
	arch := strings.TrimSpace(string(archOut))
	b := layer.NewBuilder()
	if err := b.Add("merged-/usr", layer.MergedUsrLinks(arch)...); err != nil {
		t.Fatal(err)
	}
	// The same packages added in the opposite order, links last, must give
	// the same layer.
	reversed := layer.NewBuilder()
	var archives []*deb.Archive
	var shipped []string // paths the packages ship under a merged directory
	pkgs := []string{"base-files", "netbase", "libc6"}
	debs := testenv.DownloadDebs(t, pkgs...)
	for _, pkg := range pkgs {
		raw, err := os.ReadFile(debs[pkg])
		if err != nil {
			t.Fatal(err)
		}
		a, err := deb.Read(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(pkg, a.Entries...); err != nil {
			t.Fatal(err)
		}
		archives = append(archives, a)
		for _, e := range a.Entries {
			top, _, _ := strings.Cut(e.Path, "/")
			if slices.Contains([]string{"bin", "sbin", "lib", "lib32", "lib64", "libx32"}, top) {
				shipped = append(shipped, e.Path)
			}
		}
	}
	if len(shipped) < 10 {
		t.Fatalf("only %d paths under bin/, sbin/, lib*/ in the packages; the merged-/usr check would prove nothing", len(shipped))
	}
	l, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	for i := len(archives) - 1; i >= 0; i-- {
		if err := reversed.Add(pkgs[i], archives[i].Entries...); err != nil {
			t.Fatal(err)
		}
	}
	if err := reversed.Add("merged-/usr", layer.MergedUsrLinks(arch)...); err != nil {
		t.Fatal(err)
	}
	l2, err := reversed.Layer()
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := l.Digest()
	d2, _ := l2.Digest()
	if d1 != d2 {
		t.Errorf("reversed insertion order gave digest %s, want %s", d2, d1)
	}
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	tarFile := filepath.Join(t.TempDir(), "layer.tar")
	f, _ := os.Create(tarFile)
	io.Copy(f, rc)
	f.Close()
	cmd := exec.Command("tar", "--numeric-owner", "-tvf", tarFile)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tar -tvf: %v\n%s", err, out)
	}
	listed := map[string]string{} // name -> tar -tv line
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		name := strings.TrimSuffix(fields[5], "/")
		if _, dup := listed[name]; dup {
			t.Errorf("%s listed twice", name)
		}
		listed[name] = line
	}
	for _, p := range shipped {
		top, _, _ := strings.Cut(p, "/")
		if p == top {
			continue // the directory itself became the symlink
		}
		if _, ok := listed["usr/"+p]; !ok {
			t.Errorf("%s is not in the layer as usr/%s", p, p)
		}
		if line, ok := listed[p]; ok {
			t.Errorf("%s is in the layer outside usr/: %s", p, line)
		}
	}
	for _, link := range []string{"bin", "sbin", "lib"} {
		if line := listed[link]; !strings.HasPrefix(line, "l") || !strings.HasSuffix(line, link+" -> usr/"+link) {
			t.Errorf("%s is %q, want a symlink to usr/%s", link, line, link)
		}
	}
	if runtime.GOARCH == "amd64" && arch == "amd64" {
		if _, ok := listed["usr/lib64/ld-linux-x86-64.so.2"]; !ok {
			t.Error("usr/lib64/ld-linux-x86-64.so.2 missing")
		}
	}
	for name, line := range listed {
		if !strings.Contains(line, " 1970-01-01 ") {
			t.Errorf("%s: mtime is not the default epoch: %s", name, line)
			break
		}
	}
}
