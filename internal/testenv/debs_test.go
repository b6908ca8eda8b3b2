package testenv

import (
	"os/exec"
	"strings"
	"testing"
)

func TestDownloadDebs(t *testing.T) {
	debs := DownloadDebs(t, "netbase", "base-files")
	RequireTool(t, "dpkg-deb")
	for _, pkg := range []string{"netbase", "base-files"} {
		out, err := exec.Command("dpkg-deb", "-f", debs[pkg], "Package").Output()
		if err != nil {
			t.Fatalf("dpkg-deb -f %s: %v", debs[pkg], err)
		}
		if got := strings.TrimSpace(string(out)); got != pkg {
			t.Errorf("%s holds package %q", debs[pkg], got)
		}
	}
	if again := DownloadDebs(t, "netbase"); again["netbase"] != debs["netbase"] {
		t.Errorf("second call gave %s, want the cached %s", again["netbase"], debs["netbase"])
	}
}
