package rebase

import (
	"fmt"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

var (
	epochV1  = time.Unix(1700000000, 0).UTC()
	epochV2  = time.Unix(1710000000, 0).UTC()
	epochApp = time.Unix(1705000000, 0).UTC()
)

func dpkgStatus(arch string, pkgs ...string) string {
	s := ""
	for i := 0; i+1 < len(pkgs); i += 2 {
		s += fmt.Sprintf("Package: %s\nStatus: install ok installed\nVersion: %s\nArchitecture: %s\nMaintainer: Debian <debian@example.org>\n\n", pkgs[i], pkgs[i+1], arch)
	}
	return s
}

// golden synthesises build "version" (1 or 2) of a golden base "base" for
// debArch: an os layer with a dpkg database (libssl3 differs between the
// builds) and a runtime layer, a different PATH and user per build.
func golden(t testing.TB, title, debArch string, version int) v1.Image {
	t.Helper()
	p, err := image.PlatformFor(debArch)
	if err != nil {
		t.Fatal(err)
	}
	ssl := map[int]string{1: "3.0.11-1~deb12u1", 2: "3.0.15-1~deb12u1"}[version]
	osLayer := imagetest.FilesLayer(t, map[string]string{
		"etc/os-release":      "ID=debian\nVERSION_ID=\"12\"\n",
		"var/lib/dpkg/status": dpkgStatus(debArch, "base-files", "12.4", "libssl3", ssl),
	})
	rt := imagetest.FilesLayer(t, map[string]string{"etc/ingot-build": fmt.Sprintf("%s %d %s\n", title, version, debArch)})
	layers := []image.LayerInfo{
		{Layer: osLayer, Name: "os", Owner: "platform <platform@example.org>", Packages: []string{"base-files=12.4", "libssl3=" + ssl}},
		{Layer: rt, Name: "runtime", Owner: "platform <platform@example.org>"},
	}
	path := map[int]string{1: "/usr/bin:/bin", 2: "/usr/local/bin:/usr/bin:/bin"}[version]
	user := map[int]string{1: "0", 2: "65532"}[version]
	cfg := image.Config{
		User:   user,
		Env:    []string{"LANG=C.UTF-8", "PATH=" + path, fmt.Sprintf("BASE_BUILD=%d", version)},
		Labels: map[string]string{"dev.example.tier": fmt.Sprintf("golden-%d", version)},
	}
	created := map[int]time.Time{1: epochV1, 2: epochV2}[version]
	img, err := image.Assemble(p, layers, cfg, created, image.Annotations{
		Title: title, Vendor: "platform", SpecDigest: "sha256:" + fmt.Sprintf("%064d", 1),
		LockDigest: "sha256:" + fmt.Sprintf("%064d", version),
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func goldenIndex(t testing.TB, title string, version int, arches ...string) v1.ImageIndex {
	t.Helper()
	var imgs []v1.Image
	for _, a := range arches {
		imgs = append(imgs, golden(t, title, a, version))
	}
	idx, err := image.Index(imgs, image.Annotations{Title: title, Vendor: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// appOn builds an app the way build/app does: the base's layers (marked
// base, with the base's names) and one app layer, the base's config with
// the app's own Env, entrypoint and workdir on top.
func appOn(t testing.TB, base v1.Image, baseName, debArch string) v1.Image {
	t.Helper()
	p, err := image.PlatformFor(debArch)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(base)
	if err != nil {
		t.Fatal(err)
	}
	bl, err := base.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var layers []image.LayerInfo
	for i, l := range bl {
		r := lin.Layers[i]
		layers = append(layers, image.LayerInfo{Layer: l, Name: r.Name, Owner: r.Owner, Packages: r.Packages, Base: true})
	}
	layers = append(layers, image.LayerInfo{
		Layer: imagetest.FilesLayer(t, map[string]string{"app/server": "#!/bin/sh\necho web " + debArch + "\n"}),
		Name:  "app", Owner: "web <web@example.org>",
	})
	bcf, err := base.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	env := append([]string{}, bcf.Config.Env...)
	env = append(env, "APP_MODE=prod")
	for i, kv := range env {
		if kv == "LANG=C.UTF-8" {
			env[i] = "LANG=en_GB.UTF-8" // the app's own value
		}
	}
	bd, err := base.Digest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.Assemble(p, layers, image.Config{
		User: bcf.Config.User, Env: env, Entrypoint: []string{"/app/server"}, Cmd: []string{"--serve"},
		WorkingDir: "/app", ExposedPorts: []string{"8080/tcp"},
		Labels: map[string]string{"dev.example.tier": bcf.Config.Labels["dev.example.tier"], "dev.example.team": "web"},
	}, epochApp, image.Annotations{Title: "web", Vendor: "web", BaseName: baseName, BaseDigest: bd.String()})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func appIndexOn(t testing.TB, base v1.ImageIndex, baseName string, arches ...string) v1.ImageIndex {
	t.Helper()
	var imgs []v1.Image
	for _, a := range arches {
		p, err := image.PlatformFor(a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := image.SelectImage(base, p)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, appOn(t, b, baseName, a))
	}
	idx, err := image.Index(imgs, image.Annotations{Title: "web", Vendor: "web", BaseName: baseName})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func diffIDs(t testing.TB, img v1.Image) []v1.Hash {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cf.RootFS.DiffIDs
}

func layerDigests(t testing.TB, img v1.Image) []string {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.String())
	}
	return out
}

func envOf(t testing.TB, img v1.Image) map[string]string {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return envMap(cf.Config.Env)
}

func timeSeconds(s int64) time.Duration { return time.Duration(s) * time.Second }
