package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/source"
)

func TestBuild(t *testing.T) {
	base := testBase(t, "65532:65532", "amd64", "arm64")
	src := writeTree(t, map[string]string{"fake.txt": "", "deps/left-pad.js": "pad", "run.sh": "#!/bin/sh\n"})
	f := &fake{name: "fake", cfg: Config{Entrypoint: []string{"/app/run.sh"}, Env: []string{"PORT=8080"}}}
	layoutDir := filepath.Join(t.TempDir(), "out", "web")
	res, err := Build(t.Context(), src, base, WithBuilders(f), WithOwner("payments <pay@example.com>"),
		WithName("registry.example.com/payments/web"), WithLayout(layoutDir))
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "fake" || len(res.Images) != 2 || res.SourceDateEpoch != baseCreated.Unix() {
		t.Fatalf("kind %s, %d images, epoch %d", res.Kind, len(res.Images), res.SourceDateEpoch)
	}
	if len(f.reqs) != 2 || f.reqs[0].Platform.Architecture != "amd64" || f.reqs[1].Platform.String() != "linux/arm64/v8" ||
		f.reqs[0].Options.Logger == nil || f.reqs[0].Base.Lineage == nil || f.reqs[0].Dir != src {
		t.Fatalf("requests %+v", f.reqs)
	}
	baseIdxDigest, _ := base.Index.Digest()
	if res.BaseDigest != baseIdxDigest.String() {
		t.Errorf("base digest %s, want %s", res.BaseDigest, baseIdxDigest)
	}
	for i, ir := range res.Images {
		bimg := f.reqs[i].Base.Image
		bm, _ := bimg.Manifest()
		var got []string
		for _, l := range ir.Layers {
			got = append(got, l.Name+"/"+l.Owner)
		}
		if g := strings.Join(got, " "); g != "os/platform <p@example.com> tls/security deps/payments <pay@example.com> app/payments <pay@example.com>" {
			t.Errorf("%s layers: %s", ir.Platform, g)
		}
		for j, l := range bm.Layers {
			if ir.Layers[j].Digest != l.Digest.String() || !ir.Layers[j].Base {
				t.Errorf("%s layer %d: %+v, want the base's %s", ir.Platform, j, ir.Layers[j], l.Digest)
			}
		}
		if ir.BaseDigest != f.reqs[i].Base.Digest.String() || ir.User != "65532:65532" {
			t.Errorf("%s: base digest %s, user %s", ir.Platform, ir.BaseDigest, ir.User)
		}
	}

	// Every build emits SPDX and CycloneDX per platform into the layout.
	if len(res.SBOMs) != 4 {
		t.Errorf("%d SBOMs, want 4 (two formats, two platforms): %+v", len(res.SBOMs), res.SBOMs)
	}
	for _, f := range []string{"amd64.spdx.json", "amd64.cdx.json", "arm64.spdx.json", "arm64.cdx.json"} {
		data, err := os.ReadFile(filepath.Join(layoutDir, "sbom", f))
		if err != nil || !bytes.Contains(data, []byte("registry.example.com/payments/web")) {
			t.Errorf("SBOM %s: %v; want a document naming the image", f, err)
		}
	}

	// The layout holds the same index, with the lineage a rebase needs.
	idx, err := source.Index(t.Context(), "oci:"+layoutDir)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := idx.Digest(); d.String() != res.IndexDigest {
		t.Errorf("layout index %s, result %s", d, res.IndexDigest)
	}
	p, _ := image.PlatformFor("arm64")
	img, err := image.SelectImage(idx, p)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(img)
	if err != nil {
		t.Fatal(err)
	}
	if lin.BaseName != base.Name || lin.BaseDigest != f.reqs[1].Base.Digest.String() ||
		!lin.Layers[0].Base || lin.Layers[0].Packages[0] != "base-files=12" || lin.Layers[2].Base || lin.Layers[2].Packages[0] != "left-pad=1.3.0" {
		t.Errorf("lineage %+v", lin)
	}
	cf, _ := img.ConfigFile()
	if cf.Config.Labels["org.example.tier"] != "gold" || strings.Join(cf.Config.Env, " ") != "PATH=/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/cert.pem PORT=8080" ||
		!cf.Created.Equal(baseCreated) {
		t.Errorf("config %+v", cf.Config)
	}
	m, _ := img.Manifest()
	if m.Annotations[image.AnnotationBaseName] != base.Name || m.Annotations[image.AnnotationVendor] != "payments" ||
		m.Annotations[image.AnnotationTitle] != "registry.example.com/payments/web" {
		t.Errorf("annotations %v", m.Annotations)
	}

	t.Run("reproducible", func(t *testing.T) {
		again, err := Build(t.Context(), src, base, WithBuilders(&fake{name: "fake", cfg: f.cfg}),
			WithOwner("payments <pay@example.com>"), WithName("registry.example.com/payments/web"))
		if err != nil || again.IndexDigest != res.IndexDigest {
			t.Errorf("rebuild: %v, index %s, want %s", err, again.IndexDigest, res.IndexDigest)
		}
	})
	t.Run("epoch", func(t *testing.T) {
		epoch := time.Unix(1700000000, 0)
		again, err := Build(t.Context(), src, base, WithBuilders(f), WithEpoch(epoch), WithArchitectures("arm64"))
		if err != nil || again.SourceDateEpoch != epoch.Unix() || len(again.Images) != 1 || again.Images[0].Platform != "linux/arm64/v8" {
			t.Fatalf("%v, %+v", err, again)
		}
		if again.Images[0].Layers[1].Digest != res.Images[1].Layers[1].Digest || again.Images[0].Layers[3].Digest == res.Images[1].Layers[3].Digest {
			t.Error("another epoch: want the same base layers and another app layer")
		}
	})
}

func TestBuildSelectsBuilder(t *testing.T) {
	base := testBase(t, "", "amd64")
	plain := writeTree(t, map[string]string{"start.sh": "#!/bin/sh\n"})
	tests := []struct {
		desc string
		dir  string
		opts []Option
		want string // builder used, or
		err  string // part of the error
	}{
		{"detected", writeTree(t, map[string]string{"go.txt": ""}), nil, "go", ""},
		{"nothing, no --cmd", plain, nil, "", "looked for go.txt; node.txt"},
		{"nothing, --cmd: fallback", plain, []Option{WithCmd("/app/start.sh")}, "command", ""},
		{"nothing, --cmd, no fallback", plain, []Option{WithCmd("/app/start.sh"), WithFallback(nil)}, "", "no recognised application"},
		{"forced", plain, []Option{WithKind("node")}, "node", ""},
		{"forced unknown", plain, []Option{WithKind("php")}, "", `unknown application kind "php": use one of go, node, command`},
		{"unknown arch", plain, []Option{WithKind("node"), WithArchitectures("s390x")}, "", "no image for architecture s390x (it has amd64)"},
		{"not a directory", filepath.Join(plain, "start.sh"), nil, "", "not a directory"},
		{"missing directory", filepath.Join(plain, "nope"), nil, "", "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			opts := append([]Option{WithBuilders(&fake{name: "go"}, &fake{name: "node"}), WithFallback(&fake{name: "command"})}, tt.opts...)
			res, err := Build(t.Context(), tt.dir, base, opts...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || res.Kind != tt.want {
				t.Fatalf("got %v, %v; want %s", res, err, tt.want)
			}
			if res.Images[0].User != DefaultUser {
				t.Errorf("user %q, want %s for a base without one", res.Images[0].User, DefaultUser)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	src := writeTree(t, map[string]string{"fake.txt": ""})
	boom := errors.New("npm ci failed")
	tests := []struct {
		desc string
		base *BaseIndex
		f    *fake
		err  string
	}{
		{"no base", nil, &fake{name: "fake"}, "no base image given"},
		{"root base", testBase(t, "0", "amd64"), &fake{name: "fake"}, "would run as root"},
		{"builder fails", testBase(t, "", "amd64"), &fake{name: "fake", err: boom}, "building the fake application in " + src + " for linux/amd64: npm ci failed"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Build(t.Context(), src, tt.base, WithBuilders(tt.f))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
		})
	}
	if _, err := OpenBase(t.Context(), filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "opening the base image") {
		t.Errorf("missing base: %v", err)
	}
}
