package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/report"
)

// scanFeeds writes OSV records for the sbomIndex images (glibc 2.36-9+deb12u4
// on Debian 12, npm left-pad 1.3.0) and imports them into a new feed store.
func scanFeeds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	records := map[string]string{
		"DSA-0001-1.json": `{"schema_version": "1.6.0", "id": "DSA-0001-1", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2025-0001"],
			"summary": "glibc buffer overflow",
			"affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u7"}]}]}]}`,
		"GHSA-aaaa-bbbb-cccc.json": `{"schema_version": "1.6.0", "id": "GHSA-aaaa-bbbb-cccc", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2025-0002"],
			"summary": "left-pad pads too much", "database_specific": {"severity": "HIGH"},
			"affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.1"}]}]}]}`,
	}
	for name, body := range records {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "feeds.db")
	if _, err := runIngot(t, "feed", "import", "--feeds-db", db, "--strict", dir); err != nil {
		t.Fatalf("importing the test feeds: %v", err)
	}
	return db
}

func scanLayout(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "layout")
	if _, err := layout.Write(dir, sbomIndex(t)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ingotBinary builds the real ingot binary into a test directory.
func ingotBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ingot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building ingot: %v\n%s", err, out)
	}
	return bin
}

func TestScanCommand(t *testing.T) {
	feeds, dir := scanFeeds(t), scanLayout(t)
	vexDB := filepath.Join(t.TempDir(), "vex.db")
	out, err := runIngot(t, "scan", "--feeds-db", feeds, "--vex-db", vexDB, "--platform", "linux/amd64", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PRIORITY", "CVE-2025-0001", "libc6", "2.36-9+deb12u4 → 2.36-9+deb12u7", "CVE-2025-0002", "left-pad", "1.3.0 → 1.3.1", "2 findings"} {
		if !strings.Contains(out, want) {
			t.Errorf("scan table lacks %q:\n%s", want, out)
		}
	}
	out, err = runIngot(t, "scan", "--feeds-db", feeds, "--vex-db", vexDB, "--format", "sarif", dir)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 2 || len(log.Runs[0].Results) != 2 {
		t.Errorf("SARIF of two platforms: %v %+v\n%s", err, log, out)
	}
	if _, err := runIngot(t, "scan", "--feeds-db", filepath.Join(t.TempDir(), "empty.db"), dir); err == nil || !strings.Contains(err.Error(), "ingot feed import") {
		t.Errorf("scan with an empty feed store: %v, want advice to import feeds", err)
	}
}

// TestScanFailOn runs the real binary: --fail-on exits 3 when findings
// needing action reach the priority, 0 when VEX decisions suppress them, and
// 1 on a usage error.
func TestScanFailOn(t *testing.T) {
	bin := ingotBinary(t)
	feeds, dir := scanFeeds(t), scanLayout(t)
	vexDB := filepath.Join(t.TempDir(), "vex.db")
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out) + stderr.String(), code
	}
	scanArgs := func(args ...string) []string {
		return append([]string{"scan", "--feeds-db", feeds, "--vex-db", vexDB, "--platform", "linux/amd64"}, args...)
	}
	// What the findings' priorities are is vuln/priority's business: the
	// expected exit codes follow from the JSON report.
	out, code := run(scanArgs("-o", "json", dir)...)
	if code != 0 {
		t.Fatalf("scan -o json exited %d: %s", code, out)
	}
	var results []report.Result
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "]")+1]), &results); err != nil || len(results) != 1 {
		t.Fatalf("decoding the JSON report: %v\n%s", err, out)
	}
	sum := results[0].Summary
	for _, p := range []vuln.Priority{vuln.Critical, vuln.High, vuln.Medium, vuln.Low} {
		t.Run(string(p), func(t *testing.T) {
			want := 0
			if sum.AtLeast(p)+sum.Unprioritised > 0 {
				want = exitFindings
			}
			out, code := run(scanArgs("--fail-on", string(p), dir)...)
			if code != want {
				t.Errorf("--fail-on %s exited %d, want %d (summary %+v):\n%s", p, code, want, sum, out)
			}
			if want != 0 && !strings.Contains(out, "findings at priority "+string(p)+" or above") {
				t.Errorf("--fail-on %s: no clear message:\n%s", p, out)
			}
		})
	}
	if sum.AtLeast(vuln.Low)+sum.Unprioritised == 0 {
		t.Fatalf("the test feeds gave no finding at low or above (%+v): the test cannot tell pass from fail", sum)
	}
	t.Run("suppressed by VEX", func(t *testing.T) {
		for _, id := range []string{"CVE-2025-0001", "GHSA-aaaa-bbbb-cccc"} {
			if out, code := run("vex", "set", "--vex-db", vexDB, id, "--repo", dir, "--status", "not_affected",
				"--justification", "vulnerable_code_not_in_execute_path", "--author", "test"); code != 0 {
				t.Fatalf("vex set: %d %s", code, out)
			}
		}
		if out, code := run(scanArgs("--fail-on", "low", dir)...); code != 0 {
			t.Errorf("with every finding not_affected, --fail-on low exited %d:\n%s", code, out)
		}
	})
	t.Run("usage error", func(t *testing.T) {
		if out, code := run(scanArgs("--fail-on", "severe", dir)...); code != 1 || !strings.Contains(out, "use critical, high, medium or low") {
			t.Errorf("--fail-on severe exited %d:\n%s", code, out)
		}
	})
}

// TestScanSources scans the same image from a docker tarball and from a
// real registry (Debian's docker-registry).
func TestScanSources(t *testing.T) {
	feeds := scanFeeds(t)
	idx := sbomIndex(t)
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(t.TempDir(), "app.tar")
	tag, _ := name.NewTag("registry.example.com/app:1")
	if err := tarball.WriteToFile(tarPath, tag, img); err != nil {
		t.Fatal(err)
	}
	host := testenv.StartRegistry(t)
	ref := host + "/golden/app:1"
	rtag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(rtag, idx, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		desc, ref, wantName string
		args                []string
	}{
		{"docker tarball", "docker-archive:" + tarPath, "docker-archive:" + tarPath, nil},
		{"registry", ref, host + "/golden/app", []string{"--insecure", "--platform", "linux/amd64"}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			args := append([]string{"scan", "--feeds-db", feeds, "--vex-db", filepath.Join(t.TempDir(), "vex.db"), "-o", "json"}, tc.args...)
			out, err := runIngot(t, append(args, tc.ref)...)
			if err != nil {
				t.Fatal(err)
			}
			var results []report.Result
			if err := json.Unmarshal([]byte(out), &results); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(results) != 1 || results[0].Image.Name != tc.wantName || len(results[0].Findings) != 2 {
				t.Errorf("scan of %s: %+v", tc.ref, results)
			}
		})
	}
}
