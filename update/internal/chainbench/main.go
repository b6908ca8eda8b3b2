// Command chainbench is bench/update-chain.sh's fixture and ingot side: in a
// registry it sets up a synthetic golden base (build 1 under :latest), -n
// apps on it and one image on each app (FROM it, with ingot's lineage), in
// two sets of repositories (ingot-* for update.Fleet, crane-* for the crane
// loop), records the ingot set in a SQLite inventory, then pushes build 2 of
// the base (setup); and it rebases the ingot set with update.Targets and
// update.Fleet, as `ingot update --rebase-dependents` does after its build
// (fleet). It needs no network: the images are synthetic. It is a
// benchmark fixture, not a product.
package main

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/update"
)

func main() {
	host := flag.String("registry", "", "registry host:port")
	n := flag.Int("n", 500, "apps per set (and as many images on them)")
	dir := flag.String("dir", "", "work directory (inventory)")
	jobs := flag.Int("jobs", 16, "parallel pushes (setup) or rebases (fleet)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch flag.Arg(0) {
	case "setup":
		err = setup(ctx, *host, *n, *dir, *jobs)
	case "fleet":
		err = fleet(ctx, *host, *dir, *jobs)
	default:
		err = errors.New("usage: chainbench -registry HOST -dir DIR [-n N] [-jobs J] setup|fleet")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chainbench:", err)
		os.Exit(1)
	}
}

var (
	epoch    = time.Unix(1700000000, 0).UTC()
	platform = v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
)

// filesLayer is a reproducible layer of files (path → content).
func filesLayer(files ...string) (v1.Layer, error) {
	b := layer.NewBuilder()
	for i := 0; i+1 < len(files); i += 2 {
		if err := b.Add("bench", layer.Entry{Path: files[i], Type: tar.TypeReg, Mode: 0o644, Body: []byte(files[i+1])}); err != nil {
			return nil, err
		}
	}
	return b.Layer()
}

func golden(build int) (v1.Image, error) {
	l, err := filesLayer("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "etc/build", fmt.Sprint(build))
	if err != nil {
		return nil, err
	}
	return image.Assemble(platform, []image.LayerInfo{{Layer: l, Name: "os", Owner: "platform"}},
		image.Config{User: "65532", Env: []string{"PATH=/usr/bin:/bin", fmt.Sprintf("BASE_BUILD=%d", build)}},
		epoch.Add(time.Duration(build)*time.Hour), image.Annotations{Title: "golden/base", Vendor: "platform"})
}

// on builds image title on base (named baseName): base's layers marked
// base, then one random 4 KiB layer.
func on(base v1.Image, baseName, title string) (v1.Image, error) {
	lin, err := image.ReadLineage(base)
	if err != nil {
		return nil, err
	}
	ls, err := base.Layers()
	if err != nil {
		return nil, err
	}
	var layers []image.LayerInfo
	for i, l := range ls {
		r := lin.Layers[i]
		layers = append(layers, image.LayerInfo{Layer: l, Name: r.Name, Owner: r.Owner, Packages: r.Packages, Base: true})
	}
	own, err := filesLayer("app/"+title, rand.Text()+string(make([]byte, 4096)))
	if err != nil {
		return nil, err
	}
	layers = append(layers, image.LayerInfo{Layer: own, Name: "app", Owner: title})
	cf, err := base.ConfigFile()
	if err != nil {
		return nil, err
	}
	d, err := base.Digest()
	if err != nil {
		return nil, err
	}
	return image.Assemble(platform, layers, image.Config{User: cf.Config.User, Env: append(cf.Config.Env, "ROLE="+title),
		Entrypoint: []string{"/app/" + title}}, epoch, image.Annotations{Title: title, BaseName: baseName, BaseDigest: d.String()})
}

func setup(ctx context.Context, host string, n int, dir string, jobs int) error {
	store, err := inventory.Open(ctx, filepath.Join(dir, "inventory.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	opts := []remote.Option{remote.WithContext(ctx)}
	baseTag, err := name.NewTag(host + "/bench/golden:latest")
	if err != nil {
		return err
	}
	old, err := golden(1)
	if err != nil {
		return err
	}
	if err := remote.Write(baseTag, old, opts...); err != nil {
		return fmt.Errorf("pushing the base: %w", err)
	}
	oldDigest, _ := old.Digest()
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range n {
		for _, set := range []string{"ingot", "crane"} {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				err := pair(ctx, store, host, set, i, baseTag.String(), old, opts)
				if err != nil {
					mu.Lock()
					firstErr = cmpOr(firstErr, err)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	nb, err := golden(2)
	if err != nil {
		return err
	}
	if err := remote.Write(baseTag, nb, opts...); err != nil {
		return fmt.Errorf("pushing build 2 of the base: %w", err)
	}
	newDigest, _ := nb.Digest()
	fmt.Printf("old_base=%s@%s\nnew_base=%s@%s\n", baseTag.Context(), oldDigest, baseTag.Context(), newDigest)
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// pair pushes app set-NNNN:1 on the base and worker set-w-NNNN:1 on the
// app; the ingot set is recorded in store.
func pair(ctx context.Context, store *inventory.Store, host, set string, i int, baseName string, base v1.Image, opts []remote.Option) error {
	appRef := fmt.Sprintf("%s/bench/%s-%04d:1", host, set, i)
	app, err := on(base, baseName, fmt.Sprintf("app%04d", i))
	if err != nil {
		return err
	}
	worker, err := on(app, appRef, fmt.Sprintf("worker%04d", i))
	if err != nil {
		return err
	}
	for _, p := range []struct {
		ref string
		img v1.Image
	}{{appRef, app}, {fmt.Sprintf("%s/bench/%s-w-%04d:1", host, set, i), worker}} {
		tag, err := name.NewTag(p.ref)
		if err != nil {
			return err
		}
		if err := remote.Write(tag, p.img, opts...); err != nil {
			return fmt.Errorf("pushing %s: %w", p.ref, err)
		}
		if set == "ingot" {
			if _, err := store.Add(ctx, tag); err != nil {
				return fmt.Errorf("recording %s: %w", p.ref, err)
			}
		}
	}
	return nil
}

func fleet(ctx context.Context, host, dir string, jobs int) error {
	store, err := inventory.Open(ctx, filepath.Join(dir, "inventory.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	baseTag, err := name.NewTag(host + "/bench/golden:latest")
	if err != nil {
		return err
	}
	desc, err := remote.Head(baseTag, remote.WithContext(ctx))
	if err != nil {
		return err
	}
	start := time.Now()
	ts, err := update.Targets(ctx, store, baseTag.Context().Name(), []string{desc.Digest.String()})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var level1 time.Duration // when the last app was done
	progress := func(r update.Result) {
		if r.Depth <= 1 {
			mu.Lock()
			level1 = time.Since(start)
			mu.Unlock()
		}
	}
	rep, err := update.Fleet(ctx, baseTag, ts, update.WithInventory(store), update.WithJobs(jobs), update.WithSBOM(false),
		update.WithProgress(progress))
	if err != nil {
		return err
	}
	depth2 := 0
	for _, r := range rep.Results {
		if r.Depth == 2 && r.Status == update.Rebased {
			depth2++
		}
	}
	fmt.Printf("rebased=%d\ndepth2=%d\nfailed=%d\nseconds=%.3f\nseconds1=%.3f\n", rep.Rebased, depth2, rep.Failed, time.Since(start).Seconds(), level1.Seconds())
	return nil
}
