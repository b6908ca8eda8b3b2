package build

import (
	"archive/tar"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/debtest"
)

// testCert returns a self-signed CA certificate in PEM.
func testCert(t testing.TB, cn string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn, Organization: []string{"Test"}},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// fixtureRepo is a signed repository (suite bookworm, amd64 and arm64) with
// a tiny distroless-like base: base-files, libc6 (and libgcc-s1), libssl3,
// openssl, ca-certificates with two certificates, and netbase (all).
func fixtureRepo(t testing.TB) *debtest.Repo {
	t.Helper()
	r := debtest.NewRepo(t)
	r.SetArchitectures("amd64", "arm64")
	for _, arch := range []string{"amd64", "arm64"} {
		triplet := map[string]string{"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}[arch]
		r.Add("bookworm", "main",
			debtest.Deb{Name: "base-files", Version: "12.4+deb12u11", Arch: arch, Control: map[string]string{"Essential": "yes", "Priority": "required"},
				Files: []debtest.File{
					{Path: "./etc/debian_version", Body: []byte("12.11\n")},
					{Path: "./etc/os-release", Linkname: "../usr/lib/os-release"},
					{Path: "./usr/lib/os-release", Body: []byte("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n")},
					{Path: "./root/", Typeflag: tar.TypeDir, Mode: 0o700},
					{Path: "./tmp/", Typeflag: tar.TypeDir, Mode: 0o1777},
				}},
			debtest.Deb{Name: "libc6", Version: "2.36-9+deb12u10", Arch: arch, Source: "glibc", Control: map[string]string{"Depends": "libgcc-s1", "Multi-Arch": "same"},
				Files: []debtest.File{
					{Path: "./lib/" + triplet + "/libc.so.6", Body: []byte("libc " + arch), Mode: 0o755},
					{Path: "./usr/lib/" + triplet + "/gconv/gconv-modules", Body: []byte("gconv")},
				}},
			debtest.Deb{Name: "libgcc-s1", Version: "12.2.0-14", Arch: arch, Source: "gcc-12", Control: map[string]string{"Depends": "libc6 (>= 2.35)"},
				Files: []debtest.File{{Path: "./lib/" + triplet + "/libgcc_s.so.1", Body: []byte("libgcc " + arch)}}},
			debtest.Deb{Name: "libssl3", Version: "3.0.17-1~deb12u2", Arch: arch, Source: "openssl", Control: map[string]string{"Depends": "libc6 (>= 2.34)"},
				Files: []debtest.File{{Path: "./usr/lib/" + triplet + "/libssl.so.3", Body: []byte("libssl " + arch)}}},
			debtest.Deb{Name: "openssl", Version: "3.0.17-1~deb12u2", Arch: arch, Control: map[string]string{"Depends": "libc6 (>= 2.34), libssl3 (>= 3.0.9)"},
				Files: []debtest.File{{Path: "./usr/bin/openssl", Body: []byte("openssl " + arch), Mode: 0o755}}},
		)
	}
	r.Add("bookworm", "main",
		debtest.Deb{Name: "netbase", Version: "6.4", Arch: "all", Files: []debtest.File{{Path: "./etc/services", Body: []byte("ssh 22/tcp\n")}}},
		debtest.Deb{Name: "ca-certificates", Version: "20230311", Arch: "all", Control: map[string]string{"Depends": "openssl (>= 1.1.1)"},
			Files: []debtest.File{
				{Path: "./usr/share/ca-certificates/mozilla/Test_Root_A.crt", Body: testCert(t, "Test Root A")},
				{Path: "./usr/share/ca-certificates/mozilla/Test_Root_B.crt", Body: testCert(t, "Test Root B")},
			}},
	)
	return r
}

const fixtureSpec = `name: registry.example.com/golden/base
description: test base
owner: {team: platform, contact: platform@example.com}
source:
  mirror: MIRROR
  suites: [bookworm]
  keyring: keyring.gpg
architectures: [amd64, arm64]
layers:
  - name: os
    packages: [base-files, netbase, libc6]
  - name: tls
    owner: {team: security, contact: security@example.com}
    packages: [ca-certificates, libssl3]
`

// writeSpec writes the spec text (MIRROR replaced by the repository's URL)
// and the repository's keyring into dir and loads it.
func writeSpec(t testing.TB, dir string, r *debtest.Repo, text string) *spec.Spec {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	kr, err := os.ReadFile(r.Key().KeyringFile(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "keyring.gpg"), kr, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "ingot.yaml")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "MIRROR", r.URL())), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testCache is a fresh download cache without retry delays.
func testCache(t testing.TB) *fetch.Cache {
	t.Helper()
	c, err := fetch.New(t.TempDir(), fetch.WithBackoff(time.Millisecond), fetch.WithRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// golden builds s with a fresh cache.
func golden(t testing.TB, s *spec.Spec, opts ...Option) (*Result, error) {
	t.Helper()
	return Golden(context.Background(), s, append([]Option{WithCache(testCache(t))}, opts...)...)
}

// layerFiles reads a layer's tar into path -> header and body.
func layerFiles(t testing.TB, l v1.Layer) map[string]tarFile {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out := map[string]tarFile{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(strings.TrimSuffix(h.Name, "/"), "./")] = tarFile{h, body}
	}
}

type tarFile struct {
	hdr  *tar.Header
	body []byte
}

// imageLayers returns the layers of the image for arch in res.
func imageLayers(t testing.TB, res *Result, arch string) []v1.Layer {
	t.Helper()
	for i, ir := range res.Images {
		if ir.Arch != arch {
			continue
		}
		im, err := res.Index.IndexManifest()
		if err != nil {
			t.Fatal(err)
		}
		img, err := res.Index.Image(im.Manifests[i].Digest)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	t.Fatalf("no %s image in the result", arch)
	return nil
}

func mustPlatform(t testing.TB, arch string) v1.Platform {
	t.Helper()
	p, err := image.PlatformFor(arch)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
