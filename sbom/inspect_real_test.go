package sbom_test

// Real-component tests of FromImage: a root file system made by mmdebstrap
// from the machine's configured Debian archive, and examples/base built by
// ingot from its committed lock. Both are compared with dpkg-query run on
// the same dpkg database. They are in an external test package because build
// imports sbom.

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/exampletest"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
)

// dpkgQuery lists "name version arch" of the dpkg database under root.
func dpkgQuery(t *testing.T, root string) []string {
	t.Helper()
	testenv.RequireTool(t, "dpkg-query")
	out, err := exec.Command("dpkg-query", "--admindir="+filepath.Join(root, "var/lib/dpkg"), "-W", "-f", "${Package} ${Version} ${Architecture}\n").Output()
	if err != nil {
		t.Fatalf("dpkg-query: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	slices.Sort(lines)
	return lines
}

// debSet lists the deb packages of doc as dpkgQuery does.
func debSet(doc *sbom.Document) []string {
	var out []string
	for _, p := range doc.Packages {
		if p.Ecosystem == sbom.Deb {
			out = append(out, p.Name+" "+p.Version+" "+p.Arch)
		}
	}
	slices.Sort(out)
	return out
}

// recall checks 100 % recall and precision of got against want.
func recall(t *testing.T, got, want []string) {
	t.Helper()
	if len(want) < 10 {
		t.Fatalf("dpkg-query lists only %d packages: %q", len(want), want)
	}
	var missing, extra []string
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if _, ok := slices.BinarySearch(want, g); !ok {
			extra = append(extra, g)
		}
	}
	if len(missing)+len(extra) > 0 || len(got) != len(want) {
		t.Errorf("%d packages, dpkg-query %d\nmissing (recall): %q\nextra (precision): %q", len(got), len(want), missing, extra)
	}
}

// extractDpkg writes the var/lib/dpkg files of a flattened image under dir.
func extractDpkg(t *testing.T, img v1.Image, dir string) {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := path.Clean("/" + h.Name)
		if h.Typeflag != tar.TypeReg || !strings.HasPrefix(name, "/var/lib/dpkg/") {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFromImageMmdebstrap inspects a one-layer image of a bookworm root
// made by mmdebstrap --variant=apt.
func TestFromImageMmdebstrap(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "mmdebstrap", "tar")
	src, err := repo.SystemSource()
	if err != nil || src.Mirror == "" {
		t.Fatalf("no Debian mirror (apt configuration or INGOT_MIRROR): %v", err)
	}
	dir := t.TempDir()
	rootfs := filepath.Join(dir, "rootfs.tar")
	mm := exec.CommandContext(t.Context(), "mmdebstrap", "--quiet", "--variant=apt",
		`--aptopt=Acquire::Check-Valid-Until "false"`, "bookworm", rootfs, src.MirrorFor("bookworm"))
	if out, err := mm.CombinedOutput(); err != nil {
		t.Fatalf("mmdebstrap: %v\n%s", err, out)
	}
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tar", "-xf", rootfs, "-C", root, "./var/lib/dpkg").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	layer, err := tarball.LayerFromFile(rootfs)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	recall(t, debSet(doc), dpkgQuery(t, root))
	if doc.Image.Distro != "debian-12" {
		t.Errorf("distro %q, want debian-12", doc.Image.Distro)
	}
	for _, p := range doc.Packages {
		if p.Layer != 0 || !strings.Contains(p.PURL, "distro=debian-12") {
			t.Errorf("%s: layer %d purl %s", p.Name, p.Layer, p.PURL)
		}
	}
}

// TestFromImageExampleBase inspects examples/base, built by ingot from its
// committed lock for amd64: the package set equals dpkg-query's, and each
// package is in the layer ingot put it in.
func TestFromImageExampleBase(t *testing.T) {
	res := exampletest.Example(t, "base", build.WithArchitectures("amd64"))
	p, err := image.PlatformFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.SelectImage(res.Index, p)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	extractDpkg(t, img, root)
	recall(t, debSet(doc), dpkgQuery(t, root))

	lin, err := image.ReadLineage(img)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range doc.Image.Layers {
		if l.Name != lin.Layers[i].Name || l.Owner != lin.Layers[i].Owner {
			t.Errorf("layer %d: %q %q, lineage %q %q", i, l.Name, l.Owner, lin.Layers[i].Name, lin.Layers[i].Owner)
		}
	}
	for _, pkg := range doc.Packages {
		l := doc.LayerOf(pkg)
		if l == nil {
			t.Errorf("%s: no layer", pkg.Name)
			continue
		}
		rec := lin.Layers[pkg.Layer]
		if !slices.Contains(rec.Packages, pkg.Name+"="+pkg.Version) {
			t.Errorf("%s %s attributed to layer %q, which does not hold it (%s)", pkg.Name, pkg.Version, l.Name, fmt.Sprint(rec.Packages))
		}
	}
}
