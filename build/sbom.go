package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/sbom"
)

// Every build makes an SPDX 2.3 and a CycloneDX 1.6 SBOM of each
// architecture's image (sbom.FromBuild: packages from the lock, layers from
// the image's lineage, maintainers and dependencies from its dpkg database,
// licences from its copyright files). They are written next to the image
// in the OCI layout, as <layout>/sbom/<arch>.spdx.json and
// <arch>.cdx.json, outside index.json so the layout's index stays the
// image index; `--push` attaches them to each pushed platform image as
// OCI 1.1 referrers (attachSBOMs).

// SBOMFile is one SBOM the build made.
type SBOMFile struct {
	Arch   string `json:"arch"`
	Format string `json:"format"`         // "spdx" or "cyclonedx"
	Path   string `json:"path,omitempty"` // in the layout, when one was written
	Digest string `json:"digest"`         // sha256 of the document
	Data   []byte `json:"-"`
}

// emitSBOMs makes the SBOMs of images (in res.Images order), writes them
// into the layout and attaches them to the pushed images, as the outputs
// of res say. It records them in res.SBOMs.
func emitSBOMs(ctx context.Context, s *spec.Spec, l *lock.Lock, images []v1.Image, res *Result, o *options) error {
	for i, img := range images {
		arch := res.Images[i].Arch
		d, err := imageDocument(ctx, img, s, l.Arch(arch))
		if err != nil {
			return fmt.Errorf("making the SBOM of the %s image: %w", arch, err)
		}
		for _, f := range sbom.Formats {
			var b bytes.Buffer
			if err := f.Write(&b, d); err != nil {
				return err
			}
			sum := sha256.Sum256(b.Bytes())
			sf := SBOMFile{Arch: arch, Format: f.Name, Digest: "sha256:" + hex.EncodeToString(sum[:]), Data: b.Bytes()}
			if res.Layout != "" {
				dir := filepath.Join(res.Layout, "sbom")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return fmt.Errorf("writing the SBOMs into %s: %w", res.Layout, err)
				}
				sf.Path = filepath.Join(dir, arch+f.Suffix)
				if err := os.WriteFile(sf.Path, b.Bytes(), 0o644); err != nil {
					return fmt.Errorf("writing the SBOMs into %s: %w", res.Layout, err)
				}
			}
			res.SBOMs = append(res.SBOMs, sf)
		}
	}
	if res.Pushed != "" {
		return attachSBOMs(ctx, res, o)
	}
	return nil
}

// imageDocument makes the Document of one built image.
func imageDocument(ctx context.Context, img v1.Image, s *spec.Spec, locked []lock.Package) (*sbom.Document, error) {
	lin, err := image.ReadLineage(img)
	if err != nil {
		return nil, err
	}
	dg, err := img.Digest()
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	ls, err := img.Layers()
	if err != nil {
		return nil, err
	}
	if len(ls) != len(lin.Layers) {
		return nil, fmt.Errorf("the image has %d layers but its lineage records %d", len(ls), len(lin.Layers))
	}
	plat := cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		plat += "/" + cf.Variant
	}
	im := sbom.Image{
		Name: s.Name, Digest: dg.String(), Platform: plat, Created: cf.Created.UTC(), Owner: s.Owner.String(),
		BaseName: lin.BaseName, BaseDigest: lin.BaseDigest,
	}
	layerOf := map[string]int{}
	for i, lr := range lin.Layers {
		ld, err := ls[i].Digest()
		if err != nil {
			return nil, err
		}
		im.Layers = append(im.Layers, sbom.Layer{DiffID: lr.DiffID, Digest: ld.String(), Name: lr.Name, Owner: lr.Owner, Base: lr.Base})
		for _, p := range lr.Packages {
			layerOf[p] = i
		}
	}
	read, err := sbom.ReadFiles(ctx, img, wantSBOMFile)
	if err != nil {
		return nil, fmt.Errorf("reading the image's files: %w", err)
	}
	status, err := dpkgStatus(read)
	if err != nil {
		return nil, err
	}
	b := sbom.Build{Image: im, ReadFile: read}
	for _, lp := range locked {
		li, ok := layerOf[lp.Name+"="+lp.Version]
		if !ok {
			return nil, fmt.Errorf("package %s %s is in the lock but in no layer of the image's lineage", lp.Name, lp.Version)
		}
		if b.Suite == "" {
			b.Suite = lp.Suite
		}
		bp := sbom.BuildPackage{
			Name: lp.Name, Version: lp.Version, Arch: lp.Architecture, Source: lp.Source, SourceVersion: lp.SourceVersion,
			SHA256: lp.SHA256, Layer: li,
		}
		if st, ok := status[lp.Name]; ok {
			bp.Maintainer = st.maintainer
			bp.Depends = st.depends
		}
		b.Packages = append(b.Packages, bp)
	}
	return sbom.FromBuild(b)
}

// wantSBOMFile selects the files an SBOM needs from an image: copyright
// files (and the doc directory links that lead to them), os-release and
// the dpkg database.
func wantSBOMFile(p string) bool {
	switch p {
	case "etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status":
		return true
	}
	rest, ok := strings.CutPrefix(p, "usr/share/doc/")
	if !ok {
		return false
	}
	dir, file, nested := strings.Cut(rest, "/")
	return dir != "" && (!nested || file == "copyright")
}

type statusEntry struct {
	maintainer string
	depends    [][]string
}

// dpkgStatus reads each installed package's Maintainer and dependencies
// from the image's dpkg database; none when it has none.
func dpkgStatus(read func(string) ([]byte, error)) (map[string]statusEntry, error) {
	data, err := read("var/lib/dpkg/status")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	paras, err := debian.ParseControl(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading /var/lib/dpkg/status: %w", err)
	}
	out := map[string]statusEntry{}
	for _, para := range paras {
		p, err := debian.PackageFromParagraph(para)
		if err != nil {
			return nil, fmt.Errorf("reading /var/lib/dpkg/status: %w", err)
		}
		e := statusEntry{maintainer: para.Get("Maintainer")}
		for _, rel := range append(append([]debian.Relation(nil), p.PreDepends...), p.Depends...) {
			var alts []string
			for _, d := range rel {
				alts = append(alts, d.Name)
			}
			e.depends = append(e.depends, alts)
		}
		out[p.Name] = e
	}
	return out, nil
}
