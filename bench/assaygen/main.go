// Command assaygen writes the synthetic fleet and feeds of bench/assay.sh: an
// inventory of golden bases and app images (SQLite, through package
// inventory) and an OSV all.zip of synthetic advisories for the Debian 12,
// npm and Go packages of that fleet and of many packages it does not hold, as
// real feeds mostly are. Everything is deterministic for a seed.
//
// It is for the benchmark only; nothing in it is real but the shape: shared
// base layers with drifting Debian versions, per-app layers of npm and Go
// packages, advisories with ECOSYSTEM and SEMVER ranges, some unfixed.
package main

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// Shape of the universe.
const (
	bases        = 20  // base builds: 5 families × 4 builds
	families     = 5   //
	basePackages = 250 // Debian packages in every base
	appPackages  = 50  // npm and Go packages in every app layer
	debSources   = 200 // Debian source packages of the fleet (3 binaries each)
	npmNames     = 300
	goNames      = 200
	versions     = 8  // versions of every app package
	teams        = 50 // owners of app images
)

func main() {
	var (
		db         = flag.String("db", "", "inventory to create (SQLite file)")
		zipPath    = flag.String("advisories", "", "OSV all.zip to write")
		images     = flag.Int("images", 10000, "app images")
		advisories = flag.Int("n", 50000, "synthetic advisories")
		seed       = flag.Uint64("seed", 1, "random seed")
	)
	flag.Parse()
	if *db == "" || *zipPath == "" {
		fmt.Fprintln(os.Stderr, "usage: assaygen -db inventory.db -advisories all.zip [-images N] [-n N]")
		os.Exit(2)
	}
	ctx := context.Background()
	if err := writeFleet(ctx, *db, *images, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "assaygen:", err)
		os.Exit(1)
	}
	if err := writeAdvisories(*zipPath, *advisories, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "assaygen:", err)
		os.Exit(1)
	}
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// debVersion is source s's version in base build b: builds drift.
func debVersion(s, b int) string {
	return fmt.Sprintf("%d.%d.%d-1+deb12u%d", 1+s%4, s%10, b/families, 1+b%3)
}

func appVersion(v int) string { return fmt.Sprintf("1.%d.0", v) }

func npmName(i int) string {
	if i%4 == 0 {
		return fmt.Sprintf("@scope%d/pkg%03d", i%7, i)
	}
	return fmt.Sprintf("npm-pkg-%03d", i)
}

func goName(i int) string { return fmt.Sprintf("example.com/mod%03d", i) }

// baseDoc is base build b: the first basePackages binaries of its family's
// shuffled list of the 600 Debian binaries.
func baseDoc(b int) *sbom.Document {
	fam := b % families
	r := rand.New(rand.NewPCG(uint64(fam), 7))
	perm := r.Perm(debSources * 3)
	name := fmt.Sprintf("registry.example.com/golden/base%d", fam)
	layer := sbom.Layer{DiffID: digest(fmt.Sprintf("base-layer-%d", b)), Digest: digest(fmt.Sprintf("base-blob-%d", b)),
		Name: "os", Owner: "platform <platform@example.com>", Base: true}
	doc := &sbom.Document{Image: sbom.Image{Name: name, Digest: digest(fmt.Sprintf("base-%d", b)), Platform: "linux/amd64",
		Created: time.Unix(1700000000+int64(b), 0).UTC(), Owner: layer.Owner, Distro: "debian-12", Layers: []sbom.Layer{layer}}}
	for _, i := range perm[:basePackages] {
		src := i / 3
		srcName := fmt.Sprintf("src%03d", src)
		bin := srcName
		if i%3 != 0 {
			bin = fmt.Sprintf("lib%s-%d", srcName, i%3)
		}
		v := debVersion(src, b)
		doc.Packages = append(doc.Packages, sbom.Package{Ecosystem: sbom.Deb, Name: bin, Version: v, Arch: "amd64",
			Source: srcName, SourceVersion: v, PURL: fmt.Sprintf("pkg:deb/debian/%s@%s?arch=amd64&distro=debian-12", bin, v), Layer: 0})
	}
	return doc
}

// appDoc is app image i, built on base i % bases.
func appDoc(i int, seed uint64, base *sbom.Document) *sbom.Document {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	team := i % teams
	owner := fmt.Sprintf("team%02d <team%02d@example.com>", team, team)
	name := fmt.Sprintf("registry.example.com/team%02d/app%05d", team, i)
	app := sbom.Layer{DiffID: digest(fmt.Sprintf("app-layer-%d", i)), Digest: digest(fmt.Sprintf("app-blob-%d", i)), Name: "app", Owner: owner}
	doc := &sbom.Document{Image: sbom.Image{Name: name, Tags: []string{"1"}, Digest: digest(name), Platform: "linux/amd64",
		Created: time.Unix(1700100000+int64(i), 0).UTC(), Owner: owner, Distro: "debian-12",
		Layers: []sbom.Layer{base.Image.Layers[0], app}, BaseName: base.Image.Name, BaseDigest: base.Image.Digest}}
	doc.Packages = append(doc.Packages, base.Packages...)
	seen := map[string]bool{}
	for len(doc.Packages) < basePackages+appPackages {
		v := appVersion(r.IntN(versions))
		var p sbom.Package
		if r.IntN(5) < 3 {
			n := npmName(r.IntN(npmNames))
			p = sbom.Package{Ecosystem: sbom.Npm, Name: n, Version: v, PURL: "pkg:npm/" + n + "@" + v, Layer: 1}
		} else {
			n := goName(r.IntN(goNames))
			p = sbom.Package{Ecosystem: sbom.Golang, Name: n, Version: "v" + v, PURL: "pkg:golang/" + n + "@v" + v, Layer: 1}
		}
		if !seen[p.Name] {
			seen[p.Name] = true
			doc.Packages = append(doc.Packages, p)
		}
	}
	return doc
}

func writeFleet(ctx context.Context, path string, images int, seed uint64) error {
	inv, err := inventory.Open(ctx, path)
	if err != nil {
		return err
	}
	defer inv.Close()
	var baseDocs []*sbom.Document
	var batch []inventory.Put
	for b := range bases {
		d := baseDoc(b)
		baseDocs = append(baseDocs, d)
		batch = append(batch, inventory.Put{Doc: d})
	}
	for i := range images {
		batch = append(batch, inventory.Put{Doc: appDoc(i, seed, baseDocs[i%bases])})
		if len(batch) == 500 {
			if err := inv.PutImages(ctx, batch); err != nil {
				return fmt.Errorf("writing the fleet: %w", err)
			}
			batch = batch[:0]
			fmt.Fprintf(os.Stderr, "\rfleet: %d/%d images", i+1, images)
		}
	}
	fmt.Fprintln(os.Stderr)
	return inv.PutImages(ctx, batch)
}

type osvEvent map[string]string

type osvRecord struct {
	SchemaVersion string              `json:"schema_version"`
	ID            string              `json:"id"`
	Modified      string              `json:"modified"`
	Aliases       []string            `json:"aliases,omitempty"`
	Summary       string              `json:"summary"`
	Severity      []map[string]string `json:"severity,omitempty"`
	Affected      []osvAffected       `json:"affected"`
}

type osvAffected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Ranges []struct {
		Type   string     `json:"type"`
		Events []osvEvent `json:"events"`
	} `json:"ranges"`
}

var vectors = []string{
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // 9.8
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", // 7.5
	"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", // 4.4
	"CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", // 1.8
}

// writeAdvisories writes n OSV records: a tenth Debian 12 (a tenth of them
// on the fleet's sources), the rest npm and Go (a fiftieth on the fleet's
// names, as most advisories concern packages a fleet does not use), with a
// range from an introduced to a fixed version (a tenth unfixed).
func writeAdvisories(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	r := rand.New(rand.NewPCG(seed, 99))
	for i := range n {
		rec := osvRecord{SchemaVersion: "1.6.0", Modified: "2026-01-01T00:00:00Z", Summary: fmt.Sprintf("synthetic advisory %d", i)}
		cve := fmt.Sprintf("CVE-2026-%06d", i)
		var af osvAffected
		rng := struct {
			Type   string     `json:"type"`
			Events []osvEvent `json:"events"`
		}{Type: "SEMVER"}
		lo := r.IntN(versions)
		hi := lo + 1 + r.IntN(3)
		switch k := r.IntN(10); {
		case k == 0:
			rec.ID = fmt.Sprintf("DEBIAN-%s", cve)
			src := r.IntN(debSources * 10) // nine tenths are sources the fleet does not hold
			af.Package.Ecosystem, af.Package.Name = "Debian:12", fmt.Sprintf("src%03d", src)
			rng.Type = "ECOSYSTEM"
			rng.Events = []osvEvent{{"introduced": "0"}, {"fixed": debVersion(src, 4+r.IntN(bases-4))}}
		case k < 6:
			rec.ID = fmt.Sprintf("GHSA-%04x-%04x-npm%d", i>>8, i&0xffff, i)
			name := npmName(r.IntN(npmNames * 50))
			af.Package.Ecosystem, af.Package.Name = "npm", name
			rng.Events = []osvEvent{{"introduced": appVersion(lo)}, {"fixed": appVersion(hi)}}
		default:
			rec.ID = fmt.Sprintf("GO-2026-%06d", i)
			af.Package.Ecosystem, af.Package.Name = "Go", goName(r.IntN(goNames*50))
			rng.Events = []osvEvent{{"introduced": appVersion(lo)}, {"fixed": appVersion(hi)}}
		}
		if r.IntN(10) == 0 {
			rng.Events = rng.Events[:1]
		}
		rec.Aliases = []string{cve}
		rec.Severity = []map[string]string{{"type": "CVSS_V3", "score": vectors[r.IntN(len(vectors))]}}
		af.Ranges = append(af.Ranges, rng)
		rec.Affected = []osvAffected{af}
		w, err := zw.Create(rec.ID + ".json")
		if err != nil {
			return err
		}
		if err := json.NewEncoder(w).Encode(rec); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
