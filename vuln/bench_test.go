package vuln_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

// BenchmarkAssayFleet is the matching half of `ingot assay`: import a feed
// of at least 50,000 advisories (the real Go database plus synthetic OSV
// Debian:12, npm and PyPI records and a synthetic Debian tracker file), load
// it once, and match a synthetic fleet of $INGOT_BENCH_IMAGES images
// (default 10,000; 150 Debian packages, 25 Go modules and 20 npm packages
// each, drawn from shared pools as real fleets share their bases) on every
// core. bench/vuln.sh runs it and prints the figures; with
// $INGOT_BENCH_OUT set it also writes the first images' Go modules as
// CycloneDX SBOMs and the Go database as osv-scanner's offline all.zip
// there, for the comparison with osv-scanner.
func BenchmarkAssayFleet(b *testing.B) {
	if _, err := os.Stat(goFeedDir); err != nil {
		b.Skipf("the Go OSV records are not at %s", goFeedDir)
	}
	images := 10000
	if s := os.Getenv("INGOT_BENCH_IMAGES"); s != "" {
		fmt.Sscan(s, &images)
	}
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	pools := writeSyntheticFeed(b, dir, rng)
	ctx := context.Background()
	for b.Loop() {
		start := time.Now()
		s, err := feed.Open(ctx, filepath.Join(dir, "feeds.db"))
		if err != nil {
			b.Fatal(err)
		}
		var imported int
		for _, src := range []string{goFeedDir, filepath.Join(dir, "synthetic.zip"), filepath.Join(dir, "tracker.json")} {
			st, err := s.Import(ctx, src)
			if err != nil {
				b.Fatal(err)
			}
			imported += st.Imported
		}
		importTime := time.Since(start)

		start = time.Now()
		db, err := s.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		loadTime := time.Since(start)

		docs := syntheticFleet(rng, pools, images)
		cpu0 := cpuTime()
		start = time.Now()
		m := vuln.NewMatcher(db)
		var findings, packages int
		var mu sync.Mutex
		var wg sync.WaitGroup
		work := make(chan *sbom.Document)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, p := 0, 0
				for d := range work {
					n += len(m.Match(d))
					p += len(d.Packages)
				}
				mu.Lock()
				findings += n
				packages += p
				mu.Unlock()
			}()
		}
		for _, d := range docs {
			work <- d
		}
		close(work)
		wg.Wait()
		matchTime := time.Since(start)
		matchCPU := cpuTime() - cpu0

		b.ReportMetric(float64(db.Len()), "advisories")
		b.ReportMetric(float64(imported), "imported")
		b.ReportMetric(importTime.Seconds(), "import-s")
		b.ReportMetric(loadTime.Seconds(), "load-s")
		b.ReportMetric(float64(len(docs)), "images")
		b.ReportMetric(float64(packages), "packages")
		b.ReportMetric(float64(findings), "findings")
		b.ReportMetric(matchTime.Seconds(), "match-s")
		b.ReportMetric(matchCPU.Seconds(), "match-cpu-s")
		b.ReportMetric((loadTime + matchTime).Seconds(), "assay-s")
		if out := os.Getenv("INGOT_BENCH_OUT"); out != "" {
			writeScannerInputs(b, out, db, docs, m)
		}
	}
}

// cpuTime is the process's user and system CPU time: on a shared machine
// it says more than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type benchPools struct {
	sources []string            // Debian source packages
	debVers map[string][]string // versions of each in the fleet
	goMods  [][2]string         // module, version (from the real feed's events)
	npm     [][2]string
}

// writeSyntheticFeed writes synthetic.zip (Debian:12, npm and PyPI OSV
// records) and tracker.json into dir: 36,000 + 10,000 advisories.
func writeSyntheticFeed(b *testing.B, dir string, rng *rand.Rand) benchPools {
	p := benchPools{debVers: map[string][]string{}}
	for i := range 2000 {
		src := fmt.Sprintf("src%04d", i)
		p.sources = append(p.sources, src)
		p.debVers[src] = []string{fmt.Sprintf("1.%d-1", i%7), fmt.Sprintf("1.%d-1+deb12u1", i%7), fmt.Sprintf("1.%d-2~deb12u3+b1", i%7)}
	}
	zf, err := os.Create(filepath.Join(dir, "synthetic.zip"))
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	put := func(rec map[string]any) {
		w, err := zw.Create(rec["id"].(string) + ".json")
		if err != nil {
			b.Fatal(err)
		}
		json.NewEncoder(w).Encode(rec)
	}
	rangeOf := func(fixed string) []map[string]any {
		return []map[string]any{{"type": "ECOSYSTEM", "events": []map[string]string{{"introduced": "0"}, {"fixed": fixed}}}}
	}
	for i := range 30000 {
		src := p.sources[rng.IntN(len(p.sources))]
		// As in Debian's data, most issues were fixed before the release's
		// versions; some in its security updates; a few are open.
		var ranges []map[string]any
		switch r := rng.IntN(100); {
		case r < 90:
			ranges = rangeOf("0.9-1")
		case r < 98:
			ranges = rangeOf(fmt.Sprintf("1.%d-1+deb12u%d", rng.IntN(8), 1+rng.IntN(3)))
		default:
			ranges = []map[string]any{{"type": "ECOSYSTEM", "events": []map[string]string{{"introduced": "0"}}}}
		}
		put(map[string]any{"id": fmt.Sprintf("DEBIAN-CVE-2099-%05d", i), "modified": "2024-01-01T00:00:00Z", "upstream": []string{fmt.Sprintf("CVE-2099-%05d", i)},
			"affected": []map[string]any{{"package": map[string]string{"ecosystem": "Debian:12", "name": src}, "ranges": ranges}}})
	}
	for i := range 5000 {
		name := fmt.Sprintf("npm-pkg-%04d", i%1500)
		if i < 1500 {
			p.npm = append(p.npm, [2]string{name, fmt.Sprintf("%d.%d.%d", rng.IntN(4), rng.IntN(10), rng.IntN(10))})
		}
		put(map[string]any{"id": fmt.Sprintf("GHSA-bench-%05d", i), "modified": "2024-01-01T00:00:00Z",
			"affected": []map[string]any{{"package": map[string]string{"ecosystem": "npm", "name": name},
				"ranges": []map[string]any{{"type": "SEMVER", "events": []map[string]string{{"introduced": "0"}, {"fixed": fmt.Sprintf("%d.%d.0", rng.IntN(4), rng.IntN(10))}}}}}}})
	}
	for i := range 1000 {
		put(map[string]any{"id": fmt.Sprintf("PYSEC-2099-%04d", i), "modified": "2024-01-01T00:00:00Z",
			"affected": []map[string]any{{"package": map[string]string{"ecosystem": "PyPI", "name": fmt.Sprintf("py_pkg.%d", i%400)}, "ranges": rangeOf(fmt.Sprintf("1.%d", rng.IntN(20)))}}})
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	zf.Close()

	statuses := []map[string]string{
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "low"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "medium"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "high"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "low"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "medium"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "high"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "low"},
		{"status": "resolved", "fixed_version": "0.9-1", "urgency": "medium"},
		{"status": "resolved", "fixed_version": "1.3-1+deb12u1", "urgency": "medium"},
		{"status": "open", "urgency": "high"},
		{"status": "open", "urgency": "unimportant"},
		{"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"},
		{"status": "undetermined", "urgency": "not yet assigned"},
	}
	tracker := map[string]map[string]any{}
	for i := range 10000 {
		src := p.sources[rng.IntN(len(p.sources))]
		if tracker[src] == nil {
			tracker[src] = map[string]any{}
		}
		tracker[src][fmt.Sprintf("CVE-2098-%05d", i)] = map[string]any{"description": "synthetic",
			"releases": map[string]any{"bookworm": statuses[rng.IntN(len(statuses))]}}
	}
	data, _ := json.Marshal(tracker)
	if err := os.WriteFile(filepath.Join(dir, "tracker.json"), data, 0o644); err != nil {
		b.Fatal(err)
	}

	// Go modules at versions the real database's events name.
	recs, _ := filepath.Glob(filepath.Join(goFeedDir, "GO-*.json"))
	for _, f := range recs {
		data, _ := os.ReadFile(f)
		a, err := feed.ParseOSV(data)
		if err != nil {
			continue
		}
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					if v := e.Introduced + e.Fixed; v != "" && v != "0" && af.Package != "stdlib" && af.Package != "toolchain" {
						p.goMods = append(p.goMods, [2]string{af.Package, "v" + v})
					}
				}
			}
		}
	}
	return p
}

func syntheticFleet(rng *rand.Rand, p benchPools, images int) []*sbom.Document {
	docs := make([]*sbom.Document, images)
	for i := range docs {
		d := &sbom.Document{Image: sbom.Image{Name: fmt.Sprintf("registry.example.com/team%d/app%d", i%50, i), Distro: "debian-12",
			Layers: []sbom.Layer{{Name: "os"}, {Name: "app"}}}}
		base := rng.IntN(len(p.sources) - 150)
		for j := range 150 {
			src := p.sources[base+j]
			v := p.debVers[src][(i/100+j)%3]
			d.Packages = append(d.Packages, sbom.Package{Ecosystem: sbom.Deb, Name: "lib" + src, Version: v, Source: src, Layer: 0})
		}
		for range 25 {
			m := p.goMods[rng.IntN(len(p.goMods))]
			d.Packages = append(d.Packages, sbom.Package{Ecosystem: sbom.Golang, Name: m[0], Version: m[1], PURL: sbom.GoPURL(m[0], m[1]), Layer: 1})
		}
		for range 20 {
			n := p.npm[rng.IntN(len(p.npm))]
			d.Packages = append(d.Packages, sbom.Package{Ecosystem: sbom.Npm, Name: n[0], Version: n[1], Layer: 1})
		}
		docs[i] = d
	}
	return docs
}

// writeScannerInputs writes, for the first 100 images, their Go modules as
// a CycloneDX SBOM (osv-scanner's --sbom input) and ingot's findings for
// the same modules ("imageNNN module@version ID" lines), plus the Go database as osv-scanner's offline
// all.zip.
func writeScannerInputs(b *testing.B, out string, db *feed.DB, docs []*sbom.Document, m *vuln.Matcher) {
	zipPath := filepath.Join(out, "db", "osv-scanner", "Go", "all.zip")
	os.MkdirAll(filepath.Dir(zipPath), 0o755)
	zf, err := os.Create(zipPath)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	recs, _ := filepath.Glob(filepath.Join(goFeedDir, "GO-*.json"))
	for _, f := range recs {
		data, _ := os.ReadFile(f)
		w, _ := zw.Create(filepath.Base(f))
		w.Write(data)
	}
	zw.Close()
	zf.Close()
	n := 100
	if len(docs) < n {
		n = len(docs)
	}
	var list strings.Builder
	for i := range n {
		d := &sbom.Document{Image: docs[i].Image}
		for _, p := range docs[i].Packages {
			if p.Ecosystem == sbom.Golang {
				d.Packages = append(d.Packages, p)
			}
		}
		for _, f := range m.Match(d) {
			fmt.Fprintf(&list, "image%03d %s@%s %s\n", i, f.Package.Name, f.MatchedVersion, f.Advisory.ID)
		}
		f, err := os.Create(filepath.Join(out, fmt.Sprintf("image%03d.cdx.json", i)))
		if err != nil {
			b.Fatal(err)
		}
		if err := sbom.WriteCycloneDX(f, d); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	os.WriteFile(filepath.Join(out, "ingot-go-findings.txt"), []byte(list.String()), 0o644)
}
