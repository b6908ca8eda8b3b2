package vuln_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

const sampleMain = `package main

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

func main() {
	doc, err := html.Parse(strings.NewReader("<p>hello</p>"))
	fmt.Println(doc != nil, err)
}
`

// buildSample builds a program that uses golang.org/x/net/html at netVersion
// and returns the SBOM that sbom.FromImage reads from an image holding it.
// Modules come from the module cache, else through the module proxy.
func buildSample(t *testing.T, netVersion string) *sbom.Document {
	t.Helper()
	testenv.RequireTool(t, "go")
	dir := t.TempDir()
	gomod := "module example.com/sample\n\ngo 1.22\n\nrequire golang.org/x/net " + netVersion + "\n"
	for name, body := range map[string]string{"go.mod": gomod, "main.go": sampleMain} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "sample")
	build := func(proxy string) ([]byte, error) {
		cmd := exec.Command("go", "build", "-mod=mod", "-trimpath", "-o", bin, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOPROXY="+proxy)
		return cmd.CombinedOutput()
	}
	if _, err := build("off"); err != nil {
		testenv.RequireNetwork(t)
		proxy := os.Getenv("GOPROXY")
		if proxy == "" || proxy == "off" {
			out, _ := exec.Command("go", "env", "GOPROXY").Output()
			proxy = strings.TrimSpace(string(out))
		}
		if out, err := build(proxy); err != nil {
			t.Fatalf("building the sample with golang.org/x/net %s: %v\n%s", netVersion, err, out)
		}
	}
	body, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "app/sample", Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.FromImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestMatchGoSample builds a program with an old golang.org/x/net and checks
// that exactly the Go vulnerability database's x/net advisories whose ranges
// hold that version are reported, then that the same program with a fixed
// x/net gets none. v0.44.0 sits inside ten advisories' ranges and below
// GO-2026-4559's, which was introduced in v0.50.0.
func TestMatchGoSample(t *testing.T) {
	db := goDB(t)
	tests := []struct {
		desc    string
		version string
		want    []string
	}{
		{"old x/net", "v0.44.0", []string{
			"GO-2026-4440 fixed=0.45.0", "GO-2026-4441 fixed=0.45.0", "GO-2026-4918 fixed=0.53.0",
			"GO-2026-5025 fixed=0.55.0", "GO-2026-5026 fixed=0.55.0", "GO-2026-5027 fixed=0.55.0",
			"GO-2026-5028 fixed=0.55.0", "GO-2026-5029 fixed=0.55.0", "GO-2026-5030 fixed=0.55.0",
			"GO-2026-5942 fixed=0.56.0",
		}},
		{"fixed x/net", "v0.61.0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			doc := buildSample(t, tt.version)
			if !slices.ContainsFunc(doc.Packages, func(p sbom.Package) bool {
				return p.Name == "golang.org/x/net" && p.Version == tt.version
			}) {
				t.Fatalf("the SBOM does not list golang.org/x/net %s: %+v", tt.version, doc.Packages)
			}
			var got []string
			for _, f := range vuln.Match(doc, db) {
				if f.Package.Name != "golang.org/x/net" {
					continue
				}
				if f.Status != vuln.StatusAffected || f.MatchedVersion != strings.TrimPrefix(tt.version, "v") {
					t.Errorf("%s: status %s, matched version %s", f.Advisory.ID, f.Status, f.MatchedVersion)
				}
				got = append(got, f.Advisory.ID+" fixed="+f.FixedVersion)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("x/net findings:\n%s\nwant:\n%s", lines(got), lines(tt.want))
			}
		})
	}
}

// TestMatchGoStdlib checks the standard library: the version a binary was
// built with, as sbom reports it ("v1.21.2"), against GO-2023-2102's ranges.
func TestMatchGoStdlib(t *testing.T) {
	db := goDB(t)
	tests := []struct {
		toolchain string
		want      bool
	}{
		{"go1.21.2", true},
		{"go1.21.3", false},
		{"go1.20.9", true},
		{"go1.20.10", false},
		{"go1.21rc2", true},
	}
	for _, tt := range tests {
		t.Run(tt.toolchain, func(t *testing.T) {
			v := sbom.GoStdlibVersion(tt.toolchain)
			doc := &sbom.Document{Packages: []sbom.Package{{Ecosystem: sbom.Golang, Name: "stdlib", Version: v, Layer: -1}}}
			got := slices.ContainsFunc(vuln.Match(doc, db), func(f vuln.Finding) bool { return f.Advisory.ID == "GO-2023-2102" })
			if got != tt.want {
				t.Errorf("stdlib %s (%s) affected by GO-2023-2102 = %v, want %v", tt.toolchain, v, got, tt.want)
			}
		})
	}
}
