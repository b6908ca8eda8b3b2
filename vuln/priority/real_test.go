package priority

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/exampletest"
	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/exposure"
)

// TestNodejsImage builds examples/nodejs for amd64 from its committed lock,
// analyses the real image's exposure, and prioritises one CVE found in both
// libssl3 (loaded by node through libnode) and openssl (the CLI, present but
// not loaded).
func TestNodejsImage(t *testing.T) {
	res := exampletest.Example(t, "nodejs", build.WithArchitectures("amd64"), build.WithLayerCache(false))
	p, err := image.PlatformFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.SelectImage(res.Index, p)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := exposure.Analyze(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range exp.Files {
		files = append(files, f.String())
	}
	t.Logf("closure of %s:\n%s", exp.Program, strings.Join(files, "\n"))
	if exp.Entrypoint != "node" || exp.Program != "/usr/bin/node" || len(exp.Missing) > 0 {
		t.Fatalf("entrypoint %q program %q missing %q", exp.Entrypoint, exp.Program, exp.Missing)
	}
	ssl, ok := exp.Loads(sbom.Deb, "libssl3")
	if !ok {
		t.Fatal("libssl3 is not in node's closure")
	}
	// libnode needs libcrypto.so.3 before libssl.so.3; both are libssl3's.
	if want := []string{"/usr/bin/node", "libnode.so.108", "libcrypto.so.3"}; !slices.Equal(ssl.Chain, want) {
		t.Errorf("libssl3 first loaded as %q (%s), want %q", ssl.Chain, ssl.Path, want)
	}
	if !slices.ContainsFunc(exp.Files, func(f exposure.File) bool {
		return f.Path == "/usr/lib/x86_64-linux-gnu/libssl.so.3" && f.Package == "libssl3" &&
			slices.Equal(f.Chain, []string{"/usr/bin/node", "libnode.so.108", "libssl.so.3"})
	}) {
		t.Error("no /usr/bin/node → libnode.so.108 → libssl.so.3 (libssl3) in the closure")
	}
	checkLddtree(t, img, exp)
	for _, pkg := range []string{"nodejs", "libnode108", "libc6"} {
		if _, ok := exp.Loads(sbom.Deb, pkg); !ok {
			t.Errorf("%s not loaded", pkg)
		}
	}
	for _, pkg := range []string{"openssl", "tzdata", "ca-certificates"} {
		if _, ok := exp.Loads(sbom.Deb, pkg); ok {
			t.Errorf("%s reported as loaded", pkg)
		}
	}

	doc, err := sbom.FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	adv := &vuln.Advisory{ID: "CVE-2024-5535", Severity: []vuln.Severity{{Type: "Debian", Score: "high"}}}
	var in []vuln.Finding
	for _, pkg := range doc.Packages {
		if pkg.Ecosystem == sbom.Deb && (pkg.Name == "libssl3" || pkg.Name == "openssl") {
			in = append(in, vuln.Finding{Package: pkg, Advisory: adv, FixedVersion: "3.0.99-1", Status: vuln.StatusAffected})
		}
	}
	if len(in) != 2 {
		t.Fatalf("libssl3 and openssl in the SBOM: %d found", len(in))
	}
	out := Assign(in, exp)
	want := map[string]struct {
		p      vuln.Priority
		reason string
	}{
		"libssl3": {vuln.High, "libssl3 is loaded by /usr/bin/node, the entrypoint (through libnode.so.108 → libcrypto.so.3); urgency high; fixed in 3.0.99-1"},
		"openssl": {vuln.Medium, "openssl present, not loaded by the entrypoint /usr/bin/node (lowered); urgency high; fixed in 3.0.99-1"},
	}
	for _, f := range out {
		w := want[f.Package.Name]
		if f.Priority != w.p || f.Reason != w.reason {
			t.Errorf("%s: %s %q\nwant %s %q", f.Package.Name, f.Priority, f.Reason, w.p, w.reason)
		}
	}
}

// checkLddtree compares the closure with lddtree's (pax-utils), run on the
// extracted image with --root: the same set of real paths.
func checkLddtree(t *testing.T, img v1.Image, exp *exposure.Report) {
	t.Helper()
	testenv.RequireTool(t, "lddtree")
	root := t.TempDir()
	extract(t, img, root)
	cmd := exec.Command("lddtree", "-l", "-R", root, exp.Program)
	// lddtree is a Debian python3 script: keep a user's python off PATH.
	cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lddtree: %v\n%s", err, out)
	}
	var theirs, ours []string
	for _, l := range strings.Fields(string(out)) {
		real, err := filepath.EvalSymlinks(l)
		if err != nil {
			t.Fatal(err)
		}
		theirs = append(theirs, strings.TrimPrefix(real, root))
	}
	for _, f := range exp.Files {
		ours = append(ours, f.Path)
	}
	slices.Sort(theirs)
	slices.Sort(ours)
	if !slices.Equal(ours, theirs) {
		t.Errorf("closure differs from lddtree's\nours:    %q\nlddtree: %q", ours, theirs)
	}
}
