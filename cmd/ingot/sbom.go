package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/sbom"
)

func init() { register(newSBOMCmd) }

type sbomFlags struct {
	format   string
	platform string
	attached bool
	insecure bool
	file     string
}

const refForms = `REF is an OCI layout directory (./out/base, oci:./out/base:TAG,
./out/base@sha256:...), a docker tarball (./base.tar, docker-archive:./base.tar)
or a registry reference (127.0.0.1:5000/golden/base:1).`

func newSBOMCmd() *cobra.Command {
	var f sbomFlags
	cmd := &cobra.Command{
		Use:   "sbom REF",
		Short: "List what is inside any image, package by package and layer by layer",
		Long: `Inspect an image and print its software bill of materials: Debian packages
(dpkg status and the distroless status.d), Go binaries (modules and Go version
from their build information), npm packages (package-lock.json and
node_modules/**/package.json) and Python distributions (dist-info, egg-info),
each with the layer that introduced it and that layer's owner when the image
has ingot's lineage. Layers are streamed; whiteouts are honoured.

` + refForms + ` From an index, every platform is inspected unless --platform
chooses one.

--format table (the default) shows ecosystem, name, version, layer and owner;
json prints ingot's document model (as -o json does); spdx and cyclonedx print
SPDX 2.3 and CycloneDX 1.6 JSON, one document per platform.

--attached reads the SBOM attached to the image in its registry (see
"ingot sbom attach") instead of inspecting the image; it prints the document as
it was attached, in --format spdx (the default then) or cyclonedx.`,
		Example: `  ingot sbom ./out/base
  ingot sbom --format spdx --platform linux/arm64 --file base.spdx.json ./out/base
  ingot sbom --insecure 127.0.0.1:5000/golden/base:1 --attached --format cyclonedx`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runSBOM(cmd, f, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", `"table", "json", "spdx" or "cyclonedx"`)
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to inspect from an index (default: every platform)")
	fl.BoolVar(&f.attached, "attached", false, "read the SBOM attached in the registry instead of inspecting the image")
	fl.BoolVar(&f.insecure, "insecure", false, "allow a plain-HTTP registry")
	fl.StringVar(&f.file, "file", "", "write to FILE instead of stdout (several platforms: FILE with the platform before its extension)")
	cmd.AddCommand(newSBOMAttachCmd())
	return cmd
}

func runSBOM(cmd *cobra.Command, f sbomFlags, ref string) error {
	switch f.format {
	case "table", "json", "spdx", "cyclonedx":
	default:
		return fmt.Errorf("unknown --format %q: use table, json, spdx or cyclonedx", f.format)
	}
	if f.attached {
		if !cmd.Flags().Changed("format") {
			f.format = "spdx"
		}
		return runSBOMAttached(cmd, f, ref)
	}
	imgs, err := platformImages(cmd.Context(), ref, f.platform, f.insecure)
	if err != nil {
		return err
	}
	repo, tags := registryName(ref, f.insecure)
	var docs []*sbom.Document
	for _, pi := range imgs {
		opts := []sbom.Option{sbom.WithLogger(logger(cmd)), sbom.WithName(repo, tags...)}
		if isTerminal() {
			opts = append(opts, sbom.WithLayerProgress(func(i, n int) {
				fmt.Fprintf(cmd.ErrOrStderr(), "\rinspecting %s layer %d/%d", pi.platform, i+1, n)
				if i+1 == n {
					fmt.Fprintln(cmd.ErrOrStderr())
				}
			}))
		}
		doc, err := sbom.FromImage(cmd.Context(), pi.img, opts...)
		if err != nil {
			return fmt.Errorf("inspecting %s (%s): %w", ref, pi.platform, err)
		}
		docs = append(docs, doc)
	}
	if f.format == "table" && flagOutput == "json" {
		f.format = "json"
	}
	switch f.format {
	case "json":
		return writeOut(cmd, f.file, "", func(w io.Writer) error { return jsonTo(w, docs) })
	case "table":
		return writeOut(cmd, f.file, "", func(w io.Writer) error { return sbomTable(w, docs) })
	}
	for _, doc := range docs {
		suffix := ""
		if len(docs) > 1 {
			suffix = doc.Image.Platform
		}
		err := writeOut(cmd, f.file, suffix, func(w io.Writer) error {
			if f.format == "spdx" {
				return sbom.WriteSPDX(w, doc)
			}
			return sbom.WriteCycloneDX(w, doc)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// runSBOMAttached prints the documents attached to each platform's image.
func runSBOMAttached(cmd *cobra.Command, f sbomFlags, ref string) error {
	artifact, ok := map[string]string{"spdx": sbom.ArtifactSPDX, "cyclonedx": sbom.ArtifactCycloneDX}[f.format]
	if !ok {
		return fmt.Errorf("--attached prints the attached document as it is: use --format spdx or cyclonedx, not %s", f.format)
	}
	r, ok := registryRef(ref, f.insecure)
	if !ok {
		return fmt.Errorf("--attached reads SBOMs from a registry, and %q is not a registry reference (127.0.0.1:5000/golden/base:1)", ref)
	}
	imgs, err := platformImages(cmd.Context(), ref, f.platform, f.insecure)
	if err != nil {
		return err
	}
	for _, pi := range imgs {
		b, err := sbom.Attached(cmd.Context(), r.Context().Digest(pi.digest), artifact, remoteOptions()...)
		if errors.Is(err, sbom.ErrNotAttached) {
			return fmt.Errorf("%s (%s) has no %s SBOM attached: attach one with `ingot sbom attach %s`, or inspect the image without --attached", ref, pi.platform, f.format, ref)
		}
		if err != nil {
			return err
		}
		suffix := ""
		if len(imgs) > 1 {
			suffix = pi.platform
		}
		if err := writeOut(cmd, f.file, suffix, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return err
		}
	}
	return nil
}

// platformImage is one image of REF with its platform and manifest digest.
type platformImage struct {
	platform string
	digest   string
	img      v1.Image
}

// platformImages opens ref: the image for platform, or every platform's image.
func platformImages(ctx context.Context, ref, platform string, insecure bool) ([]platformImage, error) {
	opts := []source.Option{source.WithInsecure(insecure)}
	if platform != "" {
		p, err := source.ParsePlatform(platform)
		if err != nil {
			return nil, err
		}
		img, err := source.Image(ctx, ref, &p, opts...)
		if err != nil {
			return nil, err
		}
		pi, err := describePlatformImage(img)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", ref, err)
		}
		return []platformImage{pi}, nil
	}
	idx, err := source.Index(ctx, ref, opts...)
	if err != nil {
		return nil, err
	}
	var out []platformImage
	if err := collectImages(idx, &out, 0); err != nil {
		return nil, fmt.Errorf("reading the index of %s: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no image with a platform", ref)
	}
	return out, nil
}

// collectImages lists the images of idx (and of nested indexes), skipping
// entries without a real platform (attestations are "unknown/unknown").
func collectImages(idx v1.ImageIndex, out *[]platformImage, depth int) error {
	if depth > 4 {
		return errors.New("indexes nested too deep")
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, d := range im.Manifests {
		if d.MediaType.IsIndex() {
			child, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return err
			}
			if err := collectImages(child, out, depth+1); err != nil {
				return err
			}
			continue
		}
		if !d.MediaType.IsImage() || (d.Platform != nil && (d.Platform.OS == "unknown" || d.Platform.Architecture == "unknown")) {
			continue
		}
		img, err := idx.Image(d.Digest)
		if err != nil {
			return err
		}
		pi, err := describePlatformImage(img)
		if err != nil {
			return err
		}
		*out = append(*out, pi)
	}
	return nil
}

func describePlatformImage(img v1.Image) (platformImage, error) {
	d, err := img.Digest()
	if err != nil {
		return platformImage{}, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return platformImage{}, err
	}
	p := cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		p += "/" + cf.Variant
	}
	return platformImage{platform: p, digest: d.String(), img: img}, nil
}

// registryRef parses ref as a registry reference unless it names a local
// layout or tarball (the rules of image/source).
func registryRef(ref string, insecure bool) (name.Reference, bool) {
	if strings.HasPrefix(ref, "oci:") || strings.HasPrefix(ref, "oci-layout:") || strings.HasPrefix(ref, "docker-archive:") ||
		strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, ".") || strings.HasPrefix(ref, "~") {
		return nil, false
	}
	local := ref
	if i := strings.IndexAny(ref, ":@"); i > 0 {
		local = ref[:i]
	}
	if _, err := os.Stat(local); err == nil {
		return nil, false
	}
	var opts []name.Option
	if insecure {
		opts = append(opts, name.Insecure)
	}
	r, err := name.ParseReference(ref, opts...)
	return r, err == nil
}

// registryName is the repository and tag of a registry ref, for the document.
func registryName(ref string, insecure bool) (string, []string) {
	r, ok := registryRef(ref, insecure)
	if !ok {
		return "", nil
	}
	if t, ok := r.(name.Tag); ok {
		return r.Context().Name(), []string{t.TagStr()}
	}
	return r.Context().Name(), nil
}

func remoteOptions() []remote.Option {
	return []remote.Option{remote.WithAuthFromKeychain(authn.DefaultKeychain)}
}

// writeOut writes through fn to stdout, or to file (with suffix, a
// platform, inserted before its extension).
func writeOut(cmd *cobra.Command, file, suffix string, fn func(io.Writer) error) error {
	if file == "" {
		return fn(cmd.OutOrStdout())
	}
	if suffix != "" {
		ext := filepath.Ext(file)
		if strings.HasSuffix(file, ".json") {
			ext = ".json"
			if e2 := filepath.Ext(strings.TrimSuffix(file, ext)); e2 == ".spdx" || e2 == ".cdx" {
				ext = e2 + ext
			}
		}
		file = strings.TrimSuffix(file, ext) + "-" + strings.ReplaceAll(suffix, "/", "-") + ext
	}
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the SBOM: %w", err)
	}
	logger(cmd).Info("wrote SBOM", "file", file)
	return nil
}

func jsonTo(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// sbomTable prints one table per document.
func sbomTable(w io.Writer, docs []*sbom.Document) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, doc := range docs {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "# %s %s  %d packages", doc.Image.Platform, doc.Image.Digest, len(doc.Packages))
		if doc.Image.Distro != "" {
			fmt.Fprintf(tw, "  (%s)", doc.Image.Distro)
		}
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "ECOSYSTEM\tNAME\tVERSION\tLAYER\tOWNER")
		for _, p := range doc.Packages {
			layer, owner := "?", ""
			if l := doc.LayerOf(p); l != nil {
				layer, owner = layerLabel(*l), l.Owner
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Ecosystem, p.Name, p.Version, layer, owner)
		}
	}
	return tw.Flush()
}

// layerLabel is the layer's ingot name, else its short diffID.
func layerLabel(l sbom.Layer) string {
	if l.Name != "" {
		return l.Name
	}
	d := strings.TrimPrefix(l.DiffID, "sha256:")
	if len(d) > 12 {
		d = d[:12]
	}
	return d
}

func newSBOMAttachCmd() *cobra.Command {
	var f sbomFlags
	cmd := &cobra.Command{
		Use:   "attach REF",
		Short: "Inspect an image in a registry and attach its SBOMs there",
		Long: `Inspect the image REF in its registry (every platform of an index, or
--platform) and attach SPDX 2.3 and CycloneDX 1.6 SBOMs to each platform's
image as OCI 1.1 referrers: artifact manifests with artifactType
application/spdx+json and application/vnd.cyclonedx+json whose subject is the
image. Registries without the referrers API get the referrers tag schema
(sha256-<hex>) instead. Read them back with "ingot sbom --attached REF".

REF is a registry reference (127.0.0.1:5000/golden/base:1 or ...@sha256:...).
An image attached again gets a newer SBOM; --attached reads the newest.`,
		Example: `  ingot sbom attach --insecure 127.0.0.1:5000/golden/base:1`,
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return runSBOMAttach(cmd, f, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to attach to from an index (default: every platform)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow a plain-HTTP registry")
	return cmd
}

// attachResult is what "ingot sbom attach" reports per platform.
type attachResult struct {
	Platform  string   `json:"platform"`
	Digest    string   `json:"digest"`
	Packages  int      `json:"packages"`
	Artifacts []string `json:"artifactTypes"`
}

func runSBOMAttach(cmd *cobra.Command, f sbomFlags, ref string) error {
	r, ok := registryRef(ref, f.insecure)
	if !ok {
		return fmt.Errorf("ingot sbom attach stores SBOMs in a registry, and %q is not a registry reference: push the image first (ingot build --push), then name it as 127.0.0.1:5000/golden/base:1", ref)
	}
	imgs, err := platformImages(cmd.Context(), ref, f.platform, f.insecure)
	if err != nil {
		return err
	}
	repo, tags := registryName(ref, f.insecure)
	now := time.Now().UTC().Truncate(time.Second)
	var results []attachResult
	for _, pi := range imgs {
		doc, err := sbom.FromImage(cmd.Context(), pi.img, sbom.WithLogger(logger(cmd)), sbom.WithName(repo, tags...))
		if err != nil {
			return fmt.Errorf("inspecting %s (%s): %w", ref, pi.platform, err)
		}
		var spdx, cdx bytes.Buffer
		if err := sbom.WriteSPDX(&spdx, doc); err != nil {
			return err
		}
		if err := sbom.WriteCycloneDX(&cdx, doc); err != nil {
			return err
		}
		docs := []sbom.Attachment{
			{ArtifactType: sbom.ArtifactSPDX, Data: spdx.Bytes(), Filename: "sbom.spdx.json", Created: now},
			{ArtifactType: sbom.ArtifactCycloneDX, Data: cdx.Bytes(), Filename: "sbom.cdx.json", Created: now},
		}
		if err := sbom.Attach(cmd.Context(), r.Context().Digest(pi.digest), docs, remoteOptions()...); err != nil {
			return err
		}
		results = append(results, attachResult{Platform: pi.platform, Digest: pi.digest, Packages: len(doc.Packages),
			Artifacts: []string{sbom.ArtifactSPDX, sbom.ArtifactCycloneDX}})
	}
	return printOut(cmd, results, func() string {
		var b strings.Builder
		for _, r := range results {
			fmt.Fprintf(&b, "attached SPDX and CycloneDX SBOMs (%d packages) to %s@%s (%s)\n", r.Packages, repo, r.Digest, r.Platform)
		}
		return b.String()
	})
}
