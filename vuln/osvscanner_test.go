package vuln_test

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

// TestMatchAgreesWithOSVScanner compares Match with osv-scanner in offline
// mode over the whole Go vulnerability database: every module the database
// names, at up to three of the versions its events name (introduced, fixed,
// last_affected: the boundaries where off-by-one errors live), written as
// go.mod files that osv-scanner reads and as SBOM documents that ingot
// matches. Both must report the same advisories for every module version.
//
// osv-scanner is not a Debian package; the test runs where it is installed
// (go install github.com/google/osv-scanner/cmd/osv-scanner@v1.9.2).
func TestMatchAgreesWithOSVScanner(t *testing.T) {
	if testing.Short() {
		t.Skip("osv-scanner needs about a minute on 2 cores; skipped with -short")
	}
	scanner, err := exec.LookPath("osv-scanner")
	if err != nil {
		t.Skip("osv-scanner is not installed: go install github.com/google/osv-scanner/cmd/osv-scanner@v1.9.2")
	}
	db := goDB(t)
	dir := t.TempDir()

	// The offline database osv-scanner reads: <dir>/osv-scanner/Go/all.zip.
	zipPath := filepath.Join(dir, "db", "osv-scanner", "Go", "all.zip")
	os.MkdirAll(filepath.Dir(zipPath), 0o755)
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	files, _ := filepath.Glob(filepath.Join(goFeedDir, "GO-*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(filepath.Base(f))
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()

	// Module versions to compare, spread over go.mod files (one version of
	// a module per file).
	versions := map[string]map[string]bool{}
	for _, a := range db.All() {
		for _, af := range a.Affected {
			if af.Ecosystem != vuln.Go || af.Package == "stdlib" || af.Package == "toolchain" {
				continue
			}
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected} {
						if v != "" && v != "0" {
							if versions[af.Package] == nil {
								versions[af.Package] = map[string]bool{}
							}
							versions[af.Package]["v"+v] = true
						}
					}
				}
			}
		}
	}
	const maxFiles = 3
	var mods [][]sbom.Package // per go.mod file
	for _, m := range sortedSet(versions) {
		for i, v := range sortedSet(versions[m]) {
			if i == maxFiles {
				break // osv-scanner takes about half a second per file
			}
			for len(mods) <= i {
				mods = append(mods, nil)
			}
			mods[i] = append(mods[i], sbom.Package{Ecosystem: sbom.Golang, Name: m, Version: v, Layer: -1})
		}
	}
	args := []string{"scan", "--experimental-offline", "--experimental-offline-vulnerabilities", "--format", "json"}
	want := map[string]string{} // ingot's answer, by "file module@version"
	n := 0
	for i, pkgs := range mods {
		gomod := filepath.Join(dir, fmt.Sprintf("m%03d", i), "go.mod")
		os.MkdirAll(filepath.Dir(gomod), 0o755)
		var b strings.Builder
		b.WriteString("module example.com/compare\n\ngo 1.22\n\nrequire (\n")
		for _, p := range pkgs {
			fmt.Fprintf(&b, "\t%s %s\n", p.Name, p.Version)
		}
		b.WriteString(")\n")
		if err := os.WriteFile(gomod, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-L", gomod)
		for _, p := range pkgs {
			want[gomod+" "+p.Name+"@"+strings.TrimPrefix(p.Version, "v")] = ""
			n++
		}
		for _, f := range vuln.Match(&sbom.Document{Packages: pkgs}, db) {
			k := gomod + " " + f.Package.Name + "@" + f.MatchedVersion
			want[k] = strings.TrimSpace(want[k] + " " + f.Advisory.ID)
		}
	}
	cmd := exec.Command(scanner, args...)
	cmd.Env = append(os.Environ(), "OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="+filepath.Join(dir, "db"))
	start := time.Now()
	out, err := cmd.Output()
	t.Logf("osv-scanner took %s", time.Since(start))
	if len(out) == 0 {
		t.Fatalf("osv-scanner: %v", err)
	}
	var res struct {
		Results []struct {
			Source struct {
				Path string `json:"path"`
			} `json:"source"`
			Packages []struct {
				Package struct {
					Name    string `json:"name"`
					Version string `json:"version"`
				} `json:"package"`
				Vulnerabilities []struct {
					ID string `json:"id"`
				} `json:"vulnerabilities"`
			} `json:"packages"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("reading osv-scanner's output: %v", err)
	}
	got := map[string]string{}
	for _, r := range res.Results {
		for _, p := range r.Packages {
			var ids []string
			for _, v := range p.Vulnerabilities {
				ids = append(ids, v.ID)
			}
			sort.Strings(ids)
			got[r.Source.Path+" "+p.Package.Name+"@"+p.Package.Version] = strings.Join(ids, " ")
		}
	}
	diffs := 0
	for _, k := range sortedSet(want) {
		if w := sortIDs(want[k]); got[k] != w {
			diffs++
			if diffs <= 20 {
				t.Errorf("%s: ingot %q, osv-scanner %q", k, w, got[k])
			}
		}
	}
	t.Logf("compared %d module versions in %d go.mod files; %d differ", n, len(mods), diffs)
	if n < 1000 {
		t.Errorf("only %d module versions compared", n)
	}
}

func sortIDs(s string) string {
	ids := strings.Fields(s)
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

func sortedSet[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
