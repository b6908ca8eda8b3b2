package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/sbom"
)

// Application builds make the same SBOMs as golden builds: an SPDX 2.3 and
// a CycloneDX 1.6 document per platform image, written into the layout as
// <layout>/sbom/<arch>.spdx.json and <arch>.cdx.json and attached to the
// pushed images as OCI 1.1 referrers. They come from inspecting the built
// image (sbom.FromImage), which attributes every package (the base's Debian
// packages, the app's Go modules or npm packages) to its layer and owner
// through the image's lineage.

// SBOMFile is one SBOM the build made.
type SBOMFile struct {
	Platform string `json:"platform"`
	Format   string `json:"format"`         // "spdx" or "cyclonedx"
	Path     string `json:"path,omitempty"` // in the layout, when one was written
	Digest   string `json:"digest"`         // sha256 of the document
}

// emitSBOMs makes, writes and attaches the SBOMs of res's images, as its
// outputs say. Nothing is done when the build wrote no layout and pushed
// nothing.
func emitSBOMs(ctx context.Context, res *Result, o *options) error {
	if res.Layout == "" && res.Pushed == "" {
		return nil
	}
	var pushed name.Digest
	if res.Pushed != "" {
		var nopts []name.Option
		if o.insecure {
			nopts = append(nopts, name.Insecure)
		}
		var err error
		if pushed, err = name.NewDigest(res.Pushed, nopts...); err != nil {
			return fmt.Errorf("attaching the SBOMs: pushed reference %q: %w", res.Pushed, err)
		}
	}
	for _, ir := range res.Images {
		h, err := v1.NewHash(ir.Digest)
		if err != nil {
			return fmt.Errorf("making the SBOM of the %s image: %w", ir.Platform, err)
		}
		img, err := res.Index.Image(h)
		if err != nil {
			return fmt.Errorf("making the SBOM of the %s image: %w", ir.Platform, err)
		}
		cf, err := img.ConfigFile()
		if err != nil {
			return fmt.Errorf("making the SBOM of the %s image: %w", ir.Platform, err)
		}
		doc, err := sbom.FromImage(ctx, img, sbom.WithName(res.Name), sbom.WithLogger(o.log))
		if err != nil {
			return fmt.Errorf("making the SBOM of the %s image: %w", ir.Platform, err)
		}
		file := cf.Architecture
		if cf.Variant != "" && cf.Architecture != "arm64" {
			file += "-" + cf.Variant
		}
		var docs []sbom.Attachment
		for _, f := range sbom.Formats {
			var b bytes.Buffer
			if err := f.Write(&b, doc); err != nil {
				return fmt.Errorf("writing the %s SBOM of the %s image: %w", f.Name, ir.Platform, err)
			}
			sum := sha256.Sum256(b.Bytes())
			sf := SBOMFile{Platform: ir.Platform, Format: f.Name, Digest: "sha256:" + hex.EncodeToString(sum[:])}
			if res.Layout != "" {
				dir := filepath.Join(res.Layout, "sbom")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return fmt.Errorf("writing the SBOMs into %s: %w", res.Layout, err)
				}
				sf.Path = filepath.Join(dir, file+f.Suffix)
				if err := os.WriteFile(sf.Path, b.Bytes(), 0o644); err != nil {
					return fmt.Errorf("writing the SBOMs into %s: %w", res.Layout, err)
				}
			}
			docs = append(docs, sbom.Attachment{ArtifactType: f.ArtifactType, Data: b.Bytes(), Filename: "sbom" + f.Suffix})
			res.SBOMs = append(res.SBOMs, sf)
		}
		if res.Pushed != "" {
			ref := pushed.Context().Digest(ir.Digest)
			if err := sbom.Attach(ctx, ref, docs, remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithContext(ctx)); err != nil {
				return fmt.Errorf("attaching the SBOMs of the %s image (run `ingot sbom attach` to retry): %w", ir.Platform, err)
			}
		}
	}
	return nil
}
