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

// TestDownloadDebsMissingPackage checks that a failed download skips locally
// and fails with CI=true, naming the package.
func TestDownloadDebsMissingPackage(t *testing.T) {
	RequireNetwork(t)
	RequireTool(t, "apt-get")
	const pkg = "ingot-no-such-package"
	for _, tc := range []struct {
		desc, ci           string
		wantSkip, wantFail bool
	}{
		{desc: "skips", ci: "", wantSkip: true},
		{desc: "fails in CI", ci: "true", wantFail: true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			if got := DownloadDebs(r, pkg); got != nil {
				t.Fatalf("DownloadDebs(%s) = %v, want nil", pkg, got)
			}
			if (r.skipped != "") != tc.wantSkip || (r.failed != "") != tc.wantFail {
				t.Fatalf("skipped=%q failed=%q, want skip=%v fail=%v", r.skipped, r.failed, tc.wantSkip, tc.wantFail)
			}
			if msg := r.skipped + r.failed; !strings.Contains(msg, pkg) {
				t.Errorf("reason %q does not name %s", msg, pkg)
			}
		})
	}
}
