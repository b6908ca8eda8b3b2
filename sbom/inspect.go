package sbom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// Option configures FromImage.
type Option func(*inspectOptions)

type inspectOptions struct {
	log      *slog.Logger
	name     string
	tags     []string
	progress func(layer, layers int)
	layers   *LayerCache
}

// WithLogger sets where FromImage reports files it skipped (too big,
// unparsable). Default: nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *inspectOptions) {
		if l != nil {
			o.log = l
		}
	}
}

// WithName sets Image.Name and Image.Tags of the Document (the repository
// the image was read from, and its tags). Default: empty.
func WithName(repo string, tags ...string) Option {
	return func(o *inspectOptions) { o.name, o.tags = repo, tags }
}

// WithLayerProgress calls f before each layer is read, with the layer's
// index and the number of layers. Default: no callback.
func WithLayerProgress(f func(layer, layers int)) Option {
	return func(o *inspectOptions) { o.progress = f }
}

// FromImage inspects the file systems of img's layers, bottom to top, and
// returns the packages the final file system holds: dpkg (status and the
// distroless status.d), Go binaries, npm (package-lock.json and
// node_modules/**/package.json) and Python (dist-info, egg-info). Each
// package is attributed to the lowest layer from which it was continuously
// present with that version; whiteouts in upper layers remove it.
//
// Layers are streamed: only the files the scanners recognise are read, each
// up to a bound (see the scanners), so memory does not grow with the image.
// Layer names, owners and base flags come from ingot's lineage when the image
// has it.
func FromImage(ctx context.Context, img v1.Image, opts ...Option) (*Document, error) {
	o := inspectOptions{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	doc := &Document{Image: Image{Name: o.name, Tags: o.tags}}
	if err := describeImage(img, &doc.Image); err != nil {
		return nil, err
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing the layers of %s: %w", doc.Image.Digest, err)
	}
	owned, err := describeLayers(img, layers, &doc.Image)
	if err != nil {
		return nil, err
	}
	fs := newOverlay(o.log)
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if o.progress != nil {
			o.progress(i, len(layers))
		}
		var err error
		if o.layers != nil && doc.Image.Layers[i].Base {
			var s *layerScan
			if s, err = o.layers.scan(ctx, fs, i, l, doc.Image.Layers[i].DiffID); err == nil {
				fs.apply(i, s)
			}
		} else {
			err = fs.readLayer(ctx, i, l)
		}
		if err != nil {
			return nil, fmt.Errorf("reading layer %d (%s) of %s: %w", i, doc.Image.Layers[i].DiffID, doc.Image.Digest, err)
		}
	}
	doc.Image.Distro = fs.distro()
	doc.Packages = fs.packages(doc.Image.Distro)
	// ingot writes the dpkg database in its system layer; the lineage says
	// which layer holds each package's files.
	for i, p := range doc.Packages {
		if l, ok := owned[p.Name+"="+p.Version]; ok && p.Ecosystem == Deb {
			doc.Packages[i].Layer = l
		}
	}
	doc.Sort()
	return doc, nil
}

// describeImage fills what the manifest and config say about img.
func describeImage(img v1.Image, im *Image) error {
	d, err := img.Digest()
	if err != nil {
		return fmt.Errorf("computing the image digest: %w", err)
	}
	im.Digest = d.String()
	cf, err := img.ConfigFile()
	if err != nil {
		return fmt.Errorf("reading the config of %s: %w", im.Digest, err)
	}
	if p := cf.Platform(); p != nil && p.Architecture != "" {
		im.Platform = strings.Join(nonEmpty(p.OS, p.Architecture, p.Variant), "/")
	}
	im.Created = cf.Created.Time
	m, err := img.Manifest()
	if err != nil {
		return fmt.Errorf("reading the manifest of %s: %w", im.Digest, err)
	}
	im.BaseName = m.Annotations[image.AnnotationBaseName]
	im.BaseDigest = m.Annotations[image.AnnotationBaseDigest]
	return nil
}

// describeLayers fills the layer list, with ingot's lineage when present,
// and returns the layer of each Debian package ("name=version") the lineage
// records.
func describeLayers(img v1.Image, layers []v1.Layer, im *Image) (map[string]int, error) {
	for _, l := range layers {
		diffID, err := l.DiffID()
		if err != nil {
			return nil, fmt.Errorf("reading a layer diffID of %s: %w", im.Digest, err)
		}
		digest, err := l.Digest()
		if err != nil {
			return nil, fmt.Errorf("reading a layer digest of %s: %w", im.Digest, err)
		}
		im.Layers = append(im.Layers, Layer{DiffID: diffID.String(), Digest: digest.String()})
	}
	lin, err := image.ReadLineage(img)
	if errors.Is(err, image.ErrNoLineage) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the lineage of %s: %w", im.Digest, err)
	}
	if lin.BaseName != "" {
		im.BaseName, im.BaseDigest = lin.BaseName, lin.BaseDigest
	}
	// Match records by diffID: a lineage that does not describe these very
	// layers (a rebased or edited image) must not lend them names.
	byDiff := map[string]image.LayerRecord{}
	for _, r := range lin.Layers {
		byDiff[r.DiffID] = r
	}
	owned := map[string]int{}
	for i := range im.Layers {
		if r, ok := byDiff[im.Layers[i].DiffID]; ok {
			im.Layers[i].Name, im.Layers[i].Owner, im.Layers[i].Base = r.Name, r.Owner, r.Base
			for _, p := range r.Packages {
				owned[p] = i
			}
		}
	}
	return owned, nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// errTooBig is returned by a bounded reader past its limit.
var errTooBig = errors.New("file too big")

// bounded returns a reader of r that fails with errTooBig after max bytes,
// so that a scanner never silently reads a truncated file.
func bounded(r io.Reader, max int64) io.Reader { return &boundedReader{r: r, max: max, left: max} }

type boundedReader struct {
	r         io.Reader
	max, left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	if int64(n) > b.left {
		return int(b.left), fmt.Errorf("%w: over the %d byte limit", errTooBig, b.max)
	}
	b.left -= int64(n)
	return n, err
}
