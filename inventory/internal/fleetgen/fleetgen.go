// Package fleetgen generates a deterministic synthetic fleet of SBOMs for
// the inventory's tests and benchmark: a few golden bases, each built
// several times with drifting Debian package versions, and many app images
// built on them, each with its own layer of npm and Go packages.
//
// It is for tests and benchmarks only; nothing about it is real except the
// shape (shared base layers, per-app layers, many versions per name).
package fleetgen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

// Config sizes a fleet.
type Config struct {
	Images       int // app images
	Bases        int // base builds (Families × builds each)
	Families     int // distinct base repositories
	BasePackages int // Debian packages in every base
	AppPackages  int // npm and Go packages in every app layer
	Seed         uint64
}

// Default is the benchmark's fleet: 10,000 images × 300 packages on 20 bases.
var Default = Config{Images: 10000, Bases: 20, Families: 5, BasePackages: 250, AppPackages: 50, Seed: 1}

// Fleet is a generated fleet.
type Fleet struct {
	cfg   Config
	debs  []debName
	apps  []appName
	bases []*sbom.Document
}

type debName struct{ name, source string }
type appName struct{ eco, name string }

// Counts of distinct names in the universe.
const (
	debNames = 600
	npmNames = 300
	goNames  = 200
	versions = 8 // versions of every app package
)

// New generates the bases of a fleet; images are made on demand by Image.
func New(cfg Config) *Fleet {
	f := &Fleet{cfg: cfg}
	for i := range debNames {
		src := fmt.Sprintf("src%03d", i/3)
		name := src
		if i%3 != 0 {
			name = fmt.Sprintf("lib%s-%d", src, i%3)
		}
		f.debs = append(f.debs, debName{name, src})
	}
	// Well-known names the benchmark queries too.
	f.debs[0] = debName{"openssl", "openssl"}
	f.debs[1] = debName{"libssl3", "openssl"}
	f.debs[2] = debName{"libc6", "glibc"}
	for i := range npmNames {
		f.apps = append(f.apps, appName{sbom.Npm, fmt.Sprintf("npm-pkg-%03d", i)})
	}
	for i := range goNames {
		f.apps = append(f.apps, appName{sbom.Golang, fmt.Sprintf("example.com/mod%03d", i)})
	}
	for b := range cfg.Bases {
		f.bases = append(f.bases, f.base(b))
	}
	return f
}

// Names returns the package names of the universe (Debian, then app).
func (f *Fleet) Names() (debs, apps []string) {
	for _, d := range f.debs {
		debs = append(debs, d.name)
	}
	for _, a := range f.apps {
		apps = append(apps, a.name)
	}
	return debs, apps
}

// Bases returns the base images' documents.
func (f *Fleet) Bases() []*sbom.Document { return f.bases }

func digestOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(h[:])
}

// DebVersion returns the version of a Debian package in a base build.
func DebVersion(i, build int) string {
	return fmt.Sprintf("%d.%d.%d-%d~deb12u%d", 1+i%4, i%10, build/2, 1+i%3, 1+build)
}

func (f *Fleet) base(b int) *sbom.Document {
	family, build := b%f.cfg.Families, b/f.cfg.Families
	repo := fmt.Sprintf("reg.example/golden/base%d", family)
	owner := fmt.Sprintf("platform-%d <platform%d@example.com>", family, family)
	l := sbom.Layer{DiffID: digestOf(fmt.Sprintf("base-os-%d", b)), Digest: digestOf(fmt.Sprintf("base-os-gz-%d", b)), Name: "os", Owner: owner}
	d := &sbom.Document{Image: sbom.Image{Name: repo, Tags: []string{fmt.Sprintf("12.%d", build)}, Digest: digestOf(fmt.Sprintf("base-%d", b)),
		Platform: "linux/amd64", Created: time.Date(2026, 1, 1+b, 0, 0, 0, 0, time.UTC), Owner: owner, Distro: "debian-12", Layers: []sbom.Layer{l}}}
	r := rand.New(rand.NewPCG(f.cfg.Seed, uint64(family)))
	// Every family holds the first three and a family-specific selection.
	picked := map[int]bool{0: true, 1: true, 2: true}
	for len(picked) < min(f.cfg.BasePackages, len(f.debs)) {
		picked[r.IntN(len(f.debs))] = true
	}
	for i := range len(f.debs) {
		if !picked[i] {
			continue
		}
		n := f.debs[i]
		v := DebVersion(i, build)
		d.Packages = append(d.Packages, sbom.Package{Ecosystem: sbom.Deb, Name: n.name, Version: v, Arch: "amd64", Source: n.source, SourceVersion: v,
			PURL: sbom.DebPURL(n.name, v, "amd64", "debian-12", n.source), Layer: 0})
	}
	return d
}

// AppVersion returns the k-th version of app packages.
func AppVersion(eco string, k int) string {
	if eco == sbom.Golang {
		return fmt.Sprintf("v1.%d.%d", k, k%3)
	}
	return fmt.Sprintf("%d.%d.0", 1+k/4, k%4)
}

// Image returns the i-th app image's document.
func (f *Fleet) Image(i int) *sbom.Document {
	b := i % len(f.bases)
	base := f.bases[b]
	team := i % 50
	owner := fmt.Sprintf("team-%d <team%d@example.com>", team, team)
	img := sbom.Image{Name: fmt.Sprintf("reg.example/team%d/app%d", team, i/50), Tags: []string{"v1"}, Digest: digestOf(fmt.Sprintf("app-%d", i)),
		Platform: "linux/amd64", Created: time.Date(2026, 2, 1, 0, 0, i, 0, time.UTC), Owner: owner, Distro: "debian-12",
		BaseName: base.Image.Name + ":" + base.Image.Tags[0], BaseDigest: base.Image.Digest}
	bl := base.Image.Layers[0]
	bl.Base = true
	img.Layers = []sbom.Layer{bl, {DiffID: digestOf(fmt.Sprintf("app-layer-%d", i)), Digest: digestOf(fmt.Sprintf("app-layer-gz-%d", i)), Name: "app", Owner: owner}}
	d := &sbom.Document{Image: img}
	d.Packages = append(d.Packages, base.Packages...)
	r := rand.New(rand.NewPCG(f.cfg.Seed, uint64(1000+i)))
	seen := map[int]bool{}
	for len(seen) < min(f.cfg.AppPackages, len(f.apps)) {
		k := r.IntN(len(f.apps))
		if seen[k] {
			continue
		}
		seen[k] = true
		a := f.apps[k]
		v := AppVersion(a.eco, r.IntN(versions))
		p := sbom.Package{Ecosystem: a.eco, Name: a.name, Version: v, Layer: 1}
		if a.eco == sbom.Golang {
			p.PURL = sbom.GoPURL(a.name, v)
		} else {
			p.PURL = sbom.NpmPURL(a.name, v)
		}
		d.Packages = append(d.Packages, p)
	}
	return d
}
