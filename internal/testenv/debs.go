package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// DownloadDebs returns the paths of .debs of the named packages from the
// machine's configured Debian archive (name -> path), each downloaded once
// with apt-get download into a cache shared by every test package and run
// (<user cache>/ingot-test/debs). It skips t when the network is off
// (RequireNetwork), apt-get is missing, or a download fails (no apt lists:
// run apt-get update); with CI=true the last two fail t instead (Unmet).
func DownloadDebs(t testing.TB, names ...string) map[string]string {
	t.Helper()
	RequireNetwork(t)
	RequireTool(t, "apt-get")
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "ingot-test", "debs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(names))
	for _, pkg := range names {
		glob := filepath.Join(dir, pkg+"_*.deb")
		if m, _ := filepath.Glob(glob); len(m) > 0 {
			out[pkg] = m[0]
			continue
		}
		cmd := exec.Command("apt-get", "download", pkg)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			Unmet(t, "apt-get download %s failed (offline or no apt lists? run apt-get update): %v\n%s", pkg, err, b)
			return nil
		}
		m, _ := filepath.Glob(glob)
		if len(m) == 0 {
			t.Fatalf("apt-get download %s left no %s", pkg, glob)
		}
		out[pkg] = m[0]
	}
	return out
}
