// Command fleetbench measures the inventory on a synthetic fleet (see
// fleetgen): the ingest rate of PutImage and the latency of WhoHas over a
// deterministic mix of queries. bench/inventory.sh runs it on SQLite and
// PostgreSQL and prints the table; it is not a test.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/inventory/internal/fleetgen"
	"github.com/ingot-dev/ingot/sbom"
)

// Result is one run's figures, printed as JSON.
type Result struct {
	Store        string  `json:"store"`
	Images       int     `json:"images"`
	Packages     int     `json:"packagesPerImage"`
	Writers      int     `json:"writers"`
	Batch        int     `json:"batch"`
	IngestSec    float64 `json:"ingestSeconds"`
	ImagesPerSec float64 `json:"imagesPerSecond"`
	// ImagesPerCPUSec divides by the CPU time of this process instead of
	// wall time: the figure on a machine nobody else is using.
	ImagesPerCPUSec float64 `json:"imagesPerCPUSecond"`
	CPUP50ms        float64 `json:"cpuP50ms"`
	CPUP99ms        float64 `json:"cpuP99ms"`
	Queries         int     `json:"queries"`
	P50ms           float64 `json:"p50ms"`
	P99ms           float64 `json:"p99ms"`
	Maxms           float64 `json:"maxms"`
	MeanHits        float64 `json:"meanHits"`
	MaxHits         int     `json:"maxHits"`
	ReingestSec     float64 `json:"reingestSeconds"`
}

func main() {
	db := flag.String("db", "", "store location (SQLite path or postgres:// URL)")
	images := flag.Int("images", fleetgen.Default.Images, "app images")
	queries := flag.Int("queries", 1000, "who-has queries")
	writers := flag.Int("writers", 1, "concurrent ingest writers")
	reingest := flag.Int("reingest", 500, "images to ingest a second time (must change nothing)")
	skip := flag.Bool("skip-ingest", false, "query a store ingested by an earlier run")
	batch := flag.Int("batch", 1, "images per transaction (1: PutImage, more: PutImages)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the ingest to this file")
	flag.Parse()
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err == nil {
			_ = pprof.StartCPUProfile(pf)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(context.Background(), *db, *images, *queries, *writers, *reingest, *batch, *skip); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "fleetbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, db string, images, queries, writers, reingest, batch int, skip bool) error {
	cfg := fleetgen.Default
	cfg.Images = images
	f := fleetgen.New(cfg)
	s, err := inventory.Open(ctx, db, inventory.WithMaxConns(writers+2))
	if err != nil {
		return err
	}
	defer s.Close()
	res := Result{Store: s.Dialect(), Images: images, Packages: cfg.BasePackages + cfg.AppPackages, Writers: writers, Batch: batch, Queries: queries}

	// Documents are made before the clock starts: the figure is the store's.
	docs := make([]*sbom.Document, 0, images+len(f.Bases()))
	docs = append(docs, f.Bases()...)
	for i := range images {
		docs = append(docs, f.Image(i))
	}
	if skip {
		docs = docs[:0]
	}
	start, cpu0 := time.Now(), cpuTime(syscall.RUSAGE_SELF)
	if err := ingest(ctx, s, docs, writers, batch); err != nil {
		return err
	}
	res.IngestSec = time.Since(start).Seconds()
	if len(docs) > 0 {
		res.ImagesPerSec = float64(len(docs)) / res.IngestSec
		res.ImagesPerCPUSec = float64(len(docs)) / (cpuTime(syscall.RUSAGE_SELF) - cpu0).Seconds()
	}

	start = time.Now()
	if err := ingest(ctx, s, docs[:min(reingest, len(docs))], 1, 1); err != nil {
		return err
	}
	res.ReingestSec = time.Since(start).Seconds()

	qs := mix(f, queries)
	var lat, cpuLat []time.Duration
	total := 0
	runtime.LockOSThread() // so the thread's CPU time is the query's
	defer runtime.UnlockOSThread()
	for _, q := range qs {
		t0, c0 := time.Now(), threadCPU()
		hits, err := s.WhoHas(ctx, q)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		cpuLat = append(cpuLat, threadCPU()-c0)
		total += len(hits)
		res.MaxHits = max(res.MaxHits, len(hits))
	}
	if len(lat) == 0 {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	slices.Sort(lat)
	slices.Sort(cpuLat)
	res.CPUP50ms = float64(cpuLat[len(cpuLat)/2].Microseconds()) / 1000
	res.CPUP99ms = float64(cpuLat[len(cpuLat)*99/100].Microseconds()) / 1000
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.P50ms = ms(lat[len(lat)/2])
	res.P99ms = ms(lat[len(lat)*99/100])
	res.Maxms = ms(lat[len(lat)-1])
	res.MeanHits = float64(total) / float64(len(qs))
	return json.NewEncoder(os.Stdout).Encode(res)
}

// cpuTime returns the user and system CPU time of who.
func cpuTime(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU returns the CPU time of the calling thread.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

func ingest(ctx context.Context, s *inventory.Store, docs []*sbom.Document, writers, batch int) error {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	next := make(chan []*sbom.Document)
	for range writers {
		wg.Go(func() {
			for b := range next {
				var err error
				if len(b) == 1 {
					err = s.PutImage(ctx, b[0], inventory.ImageRef{})
				} else {
					puts := make([]inventory.Put, len(b))
					for i, d := range b {
						puts[i] = inventory.Put{Doc: d}
					}
					err = s.PutImages(ctx, puts)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for b := range slices.Chunk(docs, max(batch, 1)) {
		select {
		case next <- b:
		case err := <-errs:
			close(next)
			wg.Wait()
			return err
		}
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// mix returns n deterministic queries: Debian names (half with a
// constraint), Debian source names, app packages with semver constraints,
// and purls with and without version.
func mix(f *fleetgen.Fleet, n int) []inventory.Query {
	r := rand.New(rand.NewPCG(42, 42))
	debs, apps := f.Names()
	var out []inventory.Query
	for i := range n {
		var q inventory.Query
		switch k := i % 20; {
		case k < 6: // Debian package name, half of them with a constraint
			di := r.IntN(len(debs))
			q.Name = debs[di]
			if k%2 == 0 {
				q.Constraint, _ = inventory.ParseConstraint("< " + fleetgen.DebVersion(di, r.IntN(4)))
			}
		case k < 9: // Debian source name
			q.Name = fmt.Sprintf("src%03d", r.IntN(len(debs)/3))
		case k == 9: // the worst case: in every image
			q.Name = []string{"libc6", "openssl", "libssl3"}[r.IntN(3)]
			q.Constraint, _ = inventory.ParseConstraint(">= 0")
		case k < 15: // app package with a semver range
			a := apps[r.IntN(len(apps))]
			q.Name = a
			eco := sbom.Npm
			if a[0] == 'e' {
				eco = sbom.Golang
			}
			q.Constraint, _ = inventory.ParseConstraint(">= " + fleetgen.AppVersion(eco, 1) + ", < " + fleetgen.AppVersion(eco, 5))
		case k < 18: // purl without version
			a := apps[r.IntN(len(apps))]
			if a[0] == 'e' {
				q.PURL = "pkg:golang/" + a
			} else {
				q.PURL = "pkg:npm/" + a
			}
		default: // purl with version
			a := apps[r.IntN(len(apps))]
			if a[0] == 'e' {
				q.PURL = sbom.GoPURL(a, fleetgen.AppVersion(sbom.Golang, r.IntN(8)))
			} else {
				q.PURL = sbom.NpmPURL(a, fleetgen.AppVersion(sbom.Npm, r.IntN(8)))
			}
		}
		out = append(out, q)
	}
	return out
}
