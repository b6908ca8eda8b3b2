// Command benchgen sets up bench/rebase.sh's fleet in a registry: a golden
// base spec (base-files, libc6, libssl3) whose lock pins the bookworm point
// release's libssl3, built and pushed once, and -n small app images on it in
// two sets of repositories (ingot-NNNN for `ingot update`, crane-NNNN for the
// crane loop), each with one random app layer and ingot's lineage. The ingot
// set is recorded in a SQLite inventory. It prints shell assignments for the
// script. It is a benchmark fixture, not a product.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

const specText = `name: HOST/golden/base
owner:
  team: platform
  contact: platform@example.com
source:
  suites: [bookworm, bookworm-updates, bookworm-security]
  components: [main]
architectures: [ARCH]
layers:
  - name: os
    packages: [base-files, libc6]
  - name: tls
    packages: [libssl3]
`

func main() {
	host := flag.String("registry", "", "registry host:port")
	n := flag.Int("n", 1000, "apps per set")
	dir := flag.String("dir", "", "work directory (spec, lock, inventory)")
	jobs := flag.Int("jobs", 16, "parallel pushes")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := gen(ctx, *host, *dir, *n, *jobs); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

func gen(ctx context.Context, host, dir string, n, jobs int) error {
	arch := runtime.GOARCH
	specPath := filepath.Join(dir, "ingot.yaml")
	if err := os.WriteFile(specPath, []byte(strings.NewReplacer("HOST", host, "ARCH", arch).Replace(specText)), 0o644); err != nil {
		return err
	}
	s, err := spec.Load(specPath)
	if err != nil {
		return err
	}
	if err := oldLock(ctx, s, arch); err != nil {
		return err
	}
	store, err := inventory.Open(ctx, filepath.Join(dir, "inventory.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	tag := host + "/golden/base:latest"
	res, err := build.Golden(ctx, s, build.WithPush(), build.WithTag(tag), build.WithInsecure(true), build.WithInventory(store))
	if err != nil {
		return err
	}
	baseRepo, _ := name.NewRepository(host + "/golden/base")
	baseDigest := res.Images[0].Digest
	base, err := remote.Image(baseRepo.Digest(baseDigest), remote.WithContext(ctx))
	if err != nil {
		return err
	}
	lin, err := image.ReadLineage(base)
	if err != nil {
		return err
	}
	bl, err := base.Layers()
	if err != nil {
		return err
	}
	var baseLayers []image.LayerInfo
	for i, l := range bl {
		r := lin.Layers[i]
		baseLayers = append(baseLayers, image.LayerInfo{Layer: l, Name: r.Name, Owner: r.Owner, Packages: r.Packages, Base: true})
	}
	bcf, err := base.ConfigFile()
	if err != nil {
		return err
	}
	p := v1.Platform{OS: bcf.OS, Architecture: bcf.Architecture, Variant: bcf.Variant}
	start := time.Now()
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i := range n {
		for _, set := range []string{"ingot", "crane"} {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				if err := app(ctx, store, host, set, i, p, baseLayers, bcf, tag, baseDigest); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Fprintf(os.Stderr, "benchgen: %d apps pushed in %s\n", 2*n, time.Since(start).Round(time.Millisecond))
	fmt.Printf("spec=%s\nold_base=%s@%s\nnew_base=%s\n", specPath, baseRepo.Name(), baseDigest, tag)
	return nil
}

// oldLock writes the spec's lock with libssl3 from the bookworm point
// release, as it was before the security update, dated a week earlier.
func oldLock(ctx context.Context, s *spec.Spec, arch string) error {
	src, err := repo.SystemSource()
	if err != nil {
		return err
	}
	src.Suites, src.Components = s.Source.Suites, s.Source.Components
	dir, err := fetch.DefaultDir()
	if err != nil {
		return err
	}
	cache, err := fetch.New(dir)
	if err != nil {
		return err
	}
	client := repo.New(cache)
	full, err := lock.Generate(ctx, client, src, lock.Request{Packages: s.Packages(), Architectures: s.Architectures, Suites: src.Suites, Components: src.ComponentList()})
	if err != nil {
		return err
	}
	point := src
	point.Suites = []string{"bookworm"}
	pl, err := lock.Generate(ctx, client, point, lock.Request{Packages: []string{"libssl3"}, Architectures: []string{arch}})
	if err != nil {
		return err
	}
	old := pl.Arch(arch)
	for i, a := range full.Architectures {
		for j, p := range a.Packages {
			for _, o := range old {
				if p.Name == "libssl3" && o.Name == "libssl3" {
					full.Architectures[i].Packages[j] = o
				}
			}
		}
	}
	// The old build is a week older than the update, as a fleet's base is:
	// its epoch (the newest Release date then) is earlier. Only the layers
	// whose packages changed (tls) and the system layer differ after the
	// update (see build's layer epochs).
	full.SourceDateEpoch -= 7 * 24 * 60 * 60
	return full.WriteFile(filepath.Join(s.Dir, "ingot.lock"))
}

// app pushes app i of set on the base and, for the ingot set, records it.
func app(ctx context.Context, store *inventory.Store, host, set string, i int, p v1.Platform, baseLayers []image.LayerInfo, bcf *v1.ConfigFile, baseName, baseDigest string) error {
	body := make([]byte, 4096)
	rand.Read(body)
	lb := layer.NewBuilder()
	if err := lb.Add("app", layer.Entry{Path: "app/data", Type: '0', Mode: 0o644, Body: body}); err != nil {
		return err
	}
	l, err := lb.Layer()
	if err != nil {
		return err
	}
	appName := fmt.Sprintf("%s-%04d", set, i)
	layers := append(append([]image.LayerInfo{}, baseLayers...), image.LayerInfo{Layer: l, Name: "app", Owner: appName + " <" + appName + "@example.org>"})
	img, err := image.Assemble(p, layers, image.Config{
		User: bcf.Config.User, Env: append(append([]string{}, bcf.Config.Env...), "APP="+appName),
		Entrypoint: []string{"/app/data"},
	}, bcf.Created.Time, image.Annotations{Title: appName, BaseName: baseName, BaseDigest: baseDigest})
	if err != nil {
		return err
	}
	ref, err := name.NewTag(host + "/bench/" + appName + ":1")
	if err != nil {
		return err
	}
	if err := remote.Write(ref, img, remote.WithContext(ctx)); err != nil {
		return fmt.Errorf("pushing %s: %w", ref, err)
	}
	if set != "ingot" {
		return nil
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	doc := &sbom.Document{Image: sbom.Image{
		Name: ref.Context().Name(), Digest: d.String(), Platform: p.OS + "/" + p.Architecture,
		BaseName: baseName, BaseDigest: baseDigest,
	}}
	ls, _ := img.Layers()
	for k, x := range ls {
		dg, _ := x.Digest()
		doc.Image.Layers = append(doc.Image.Layers, sbom.Layer{DiffID: cf.RootFS.DiffIDs[k].String(), Digest: dg.String(), Name: layers[k].Name, Base: layers[k].Base})
	}
	// As ingot inventory add records a pushed app: its manifest and config
	// too.
	raw, err := inventory.ImageDocuments(img)
	if err != nil {
		return err
	}
	return store.PutImage(ctx, doc, inventory.ImageRef{Repository: ref.Context().Name(), Tags: []string{"1"}, Documents: raw})
}
