package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/update"
)

const updateChangelog = `openssl (3.0.15-1~deb12u1) stable-security; urgency=high

  * Fix CVE-2024-5535 and cve-2024-9143.

 -- Debian <debian@example.org>  Mon, 02 Sep 2024 00:00:00 +0000

openssl (3.0.11-1~deb12u1) stable; urgency=medium

  * Import CVE-2023-0001 fix.

 -- Debian <debian@example.org>  Mon, 02 Oct 2023 00:00:00 +0000
`

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// TestUpdateCommand runs ingot update on a hermetic archive and a real
// registry: first build, then a security update of libssl3 with
// --dry-run, --rebase-dependents and a rerun.
func TestUpdateCommand(t *testing.T) {
	testenv.RequireTool(t, "docker-registry")
	ctx := context.Background()
	host := testenv.StartRegistry(t)
	r := debtest.NewRepo(t)
	r.Add("stable", "main", debtest.Deb{Name: "libssl3", Version: "3.0.11-1~deb12u1", Source: "openssl"})
	r.Add("stable-security", "main", debtest.Deb{Name: "placeholder", Version: "1", Arch: "all"})
	r.SetDate(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	dir := t.TempDir()
	specPath := filepath.Join(dir, "ingot.yaml")
	spec := "name: " + host + `/golden/base
owner:
  team: platform
  contact: platform@example.com
source:
  mirror: ` + r.URL() + `
  suites: [stable, stable-security]
  components: [main]
  keyring: ` + r.Key().KeyringFile(t) + `
architectures: [amd64]
layers:
  - name: os
    packages: [libssl3]
`
	if err := os.WriteFile(specPath, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "inventory.db")
	base := []string{"update", "-f", specPath, "--insecure", "--db", db}
	runJSON := func(args ...string) (updateReport, error) {
		t.Helper()
		out, err := runIngot(t, append(append(slices.Clone(base), args...), "-o", "json")...)
		var rep updateReport
		if out != "" {
			if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
				t.Fatalf("output is not a report: %v\n%s", jerr, out)
			}
		}
		return rep, err
	}

	// First run: no lock yet; the base is built and pushed.
	rep, err := runJSON()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Built == "" || len(rep.Lock.Changes) != 1 || rep.Lock.Changes[0].Kind != "added" {
		t.Fatalf("first update = %+v", rep)
	}

	// An app on it, in the inventory.
	appRef := host + "/apps/web:1"
	pushApp(t, host+"/golden/base:latest", appRef)
	store, err := inventory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ingestRef(t, store, appRef)
	store.Close()
	oldApp := headDigest(t, appRef)

	// The security update.
	r.Add("stable-security", "main", debtest.Deb{Name: "libssl3", Version: "3.0.15-1~deb12u1", Source: "openssl",
		Files: []debtest.File{{Path: "usr/share/doc/libssl3/changelog.Debian.gz", Body: gz(t, updateChangelog)}}})
	lockBefore, err := os.ReadFile(filepath.Join(dir, "ingot.lock"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err = runJSON("--dry-run", "--rebase-dependents")
	if err != nil {
		t.Fatal(err)
	}
	wantCVEs := []string{"CVE-2024-5535", "CVE-2024-9143"}
	if len(rep.Lock.Changes) != 1 || rep.Lock.Changes[0].String() != "libssl3 (amd64): 3.0.11-1~deb12u1 -> 3.0.15-1~deb12u1" ||
		!slices.Equal(rep.Lock.CVEs, wantCVEs) {
		t.Errorf("dry run lock = %+v, want libssl3 3.0.11 -> 3.0.15 closing %v", rep.Lock, wantCVEs)
	}
	if len(rep.Plan) != 1 || rep.Plan[0].Image != appRef || rep.Plan[0].Skip != "" || !slices.Equal(rep.Plan[0].CVEs, wantCVEs) {
		t.Errorf("dry run plan = %+v, want %s to be rebased, closing %v", rep.Plan, appRef, wantCVEs)
	}
	out, err := runIngot(t, append(slices.Clone(base), "--dry-run", "--rebase-dependents", "-o", "text")...)
	if want := "would rebase " + appRef + " (" + oldApp + ") closes 2 CVEs\n"; err != nil || !strings.Contains(out, want) {
		t.Errorf("dry run text lacks %q (err %v):\n%s", want, err, out)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "ingot.lock")); !bytes.Equal(after, lockBefore) {
		t.Error("the dry run changed the lock")
	}
	if d := headDigest(t, appRef); d != oldApp {
		t.Error("the dry run moved the app's tag")
	}

	// The update itself.
	rep, err = runJSON("--rebase-dependents", "--jobs", "2")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fleet == nil || rep.Fleet.Rebased != 1 || rep.Fleet.Results[0].Image != appRef ||
		!slices.Equal(rep.Fleet.Results[0].CVEs, wantCVEs) || rep.Fleet.Results[0].OldDigest != oldApp {
		t.Fatalf("update = %+v, fleet %+v", rep, rep.Fleet)
	}
	if d := headDigest(t, appRef); d != rep.Fleet.Results[0].NewDigest {
		t.Errorf("%s points at %s, the report says %s", appRef, d, rep.Fleet.Results[0].NewDigest)
	}

	// A rerun: nothing new in the archive, the app already on the new base.
	out, err = runIngot(t, append(slices.Clone(base), "--rebase-dependents", "-o", "text")...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"is up to date", "skipped   " + appRef + ": " + update.SkipOnNewBase, "skipped   " + host + "/apps/web@" + oldApp + ": " + update.SkipNoTag,
		"0 rebased, 0 unchanged, 2 skipped, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("rerun output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runIngot(t, "update", "-f", specPath, "--jobs", "0"); err == nil || !strings.Contains(err.Error(), "--jobs") {
		t.Errorf("--jobs 0: err = %v", err)
	}
}

func headDigest(t *testing.T, ref string) string {
	t.Helper()
	d, err := remote.Head(mustParse(t, ref))
	if err != nil {
		t.Fatal(err)
	}
	return d.Digest.String()
}

func mustParse(t *testing.T, ref string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// pushApp pushes a one-layer app on every platform of the base, with
// ingot's lineage, as ingot build DIR would.
func pushApp(t *testing.T, baseRef, ref string) {
	t.Helper()
	idx, err := remote.Index(mustParse(t, baseRef))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var imgs []v1.Image
	for _, d := range im.Manifests {
		b, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		lin, err := image.ReadLineage(b)
		if err != nil {
			t.Fatal(err)
		}
		bl, _ := b.Layers()
		var layers []image.LayerInfo
		for i, l := range bl {
			layers = append(layers, image.LayerInfo{Layer: l, Name: lin.Layers[i].Name, Owner: lin.Layers[i].Owner, Packages: lin.Layers[i].Packages, Base: true})
		}
		lb := layer.NewBuilder()
		if err := lb.Add("app", layer.Entry{Path: "app/hello", Type: tar.TypeReg, Mode: 0o755, Body: []byte("hello\n")}); err != nil {
			t.Fatal(err)
		}
		al, err := lb.Layer()
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, image.LayerInfo{Layer: al, Name: "app", Owner: "web <web@example.org>"})
		cf, _ := b.ConfigFile()
		img, err := image.Assemble(*d.Platform, layers, image.Config{User: cf.Config.User, Env: cf.Config.Env, Entrypoint: []string{"/app/hello"}},
			cf.Created.Time, image.Annotations{Title: "web", BaseName: baseRef, BaseDigest: d.Digest.String()})
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	app, err := image.Index(imgs, image.Annotations{Title: "web", BaseName: baseRef})
	if err != nil {
		t.Fatal(err)
	}
	if err := image.Push(context.Background(), mustParse(t, ref), app); err != nil {
		t.Fatal(err)
	}
}

// ingestRef records every platform of ref in store.
func ingestRef(t *testing.T, store *inventory.Store, ref string) {
	t.Helper()
	tag := mustParse(t, ref).(name.Tag)
	idx, err := remote.Index(tag)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := idx.Digest()
	im, _ := idx.IndexManifest()
	for _, d := range im.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sbom.FromImage(context.Background(), img, sbom.WithName(tag.Context().Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := store.PutImage(context.Background(), doc, inventory.ImageRef{Repository: tag.Context().Name(), Tags: []string{tag.TagStr()}, IndexDigest: id.String()}); err != nil {
			t.Fatal(err)
		}
	}
}
