package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/sbom"
)

// How an ingested image's document was obtained.
const (
	FromKnown     = "known"     // the store already held the image: nothing read but its manifest
	FromSBOM      = "sbom"      // its attached CycloneDX SBOM
	FromInspected = "inspected" // by inspecting its layers (sbom.FromImage)
	// FromOtherRepository: the store held the image in another repository
	// (copied or promoted); recorded again without reading a blob.
	FromOtherRepository = "other-repository"
)

// Added is one platform image that Add or Sync recorded.
type Added struct {
	Repository  string   `json:"repository"`
	Digest      string   `json:"digest"`
	Platform    string   `json:"platform,omitempty"`
	IndexDigest string   `json:"indexDigest,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	From        string   `json:"from"` // FromKnown, FromOtherRepository, FromSBOM or FromInspected
	Packages    int      `json:"packages"`
}

// IngestOption configures Add and Sync.
type IngestOption func(*ingestOptions)

type ingestOptions struct {
	remote   []remote.Option
	ropts    []remote.Option // remote plus the context and a shared puller (see withPuller)
	jobs     int
	log      *slog.Logger
	progress func(SyncProgress)
	local    bool // the image is not in a registry: no attached SBOM to look for
}

// WithRemote sets the options of every registry request (authentication,
// transport). Default: anonymous HTTPS with go-containerregistry's defaults.
func WithRemote(opts ...remote.Option) IngestOption {
	return func(o *ingestOptions) { o.remote = append(o.remote, opts...) }
}

// WithJobs bounds the registry requests and ingests Sync runs at once.
// Default: 4.
func WithJobs(n int) IngestOption {
	return func(o *ingestOptions) {
		if n > 0 {
			o.jobs = n
		}
	}
}

// WithIngestLogger sets the logger of Add and Sync (fallbacks to
// inspection, failures). Default: discard.
func WithIngestLogger(l *slog.Logger) IngestOption {
	return func(o *ingestOptions) {
		if l != nil {
			o.log = l
		}
	}
}

// WithSyncProgress calls f as Sync advances; f is called from one goroutine
// at a time. Default: none.
func WithSyncProgress(f func(SyncProgress)) IngestOption {
	return func(o *ingestOptions) { o.progress = f }
}

func newIngestOptions(opts []IngestOption) *ingestOptions {
	o := &ingestOptions{jobs: 4, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range opts {
		f(o)
	}
	return o
}

// withPuller sets o.ropts: one puller for every request, so that the
// registry is pinged and tokens are exchanged once, not per request.
func (o *ingestOptions) withPuller(ctx context.Context) error {
	base := append([]remote.Option{remote.WithContext(ctx)}, o.remote...)
	p, err := remote.NewPuller(base...)
	if err != nil {
		return fmt.Errorf("setting up the registry client: %w", err)
	}
	o.ropts = append(base, remote.Reuse(p))
	return nil
}

// Add records the image ref names in the store: every platform of an
// index, each from its attached CycloneDX SBOM when there is one that
// describes exactly that image, else by inspecting its layers. An image
// the store already holds (by repository and digest) is not read again;
// ref's tag is pointed at it.
func (s *Store) Add(ctx context.Context, ref name.Reference, opts ...IngestOption) ([]Added, error) {
	o := newIngestOptions(opts)
	if err := o.withPuller(ctx); err != nil {
		return nil, err
	}
	desc, err := remote.Get(ref, o.ropts...)
	if err != nil {
		return nil, fmt.Errorf("reading %s from its registry (check the reference and your credentials): %w", ref, err)
	}
	var tags []string
	if t, ok := ref.(name.Tag); ok {
		tags = []string{t.TagStr()}
	}
	return s.ingest(ctx, o, ref.Context(), desc, tags)
}

// ingest records the image or index desc of repo, tags pointing at it.
func (s *Store) ingest(ctx context.Context, o *ingestOptions, repo name.Repository, desc *remote.Descriptor, tags []string) ([]Added, error) {
	switch {
	case desc.MediaType.IsIndex():
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, fmt.Errorf("reading the index %s@%s: %w", repo, desc.Digest, err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("reading the index %s@%s: %w", repo, desc.Digest, err)
		}
		indexDoc := Document{Digest: desc.Digest.String(), MediaType: string(desc.MediaType), Body: desc.Manifest}
		var out []Added
		for _, child := range im.Manifests {
			if !child.MediaType.IsImage() || isAttestation(child) || !imageConfig(types.MediaType(child.ArtifactType)) {
				continue
			}
			platform := ""
			if child.Platform != nil {
				platform = child.Platform.String()
			}
			a, err := s.ingestImage(ctx, o, repo, child.Digest, platform, desc.Digest.String(), tags, indexDoc,
				func() (v1.Image, error) { return idx.Image(child.Digest) })
			if err != nil {
				return out, err
			}
			out = append(out, a)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("recording %s@%s: it is an artifact, an index of no image (the referrers of an image, attached SBOMs): %w", repo, desc.Digest, errNotImage)
		}
		return out, nil
	case desc.MediaType.IsImage():
		if !isImageManifest(desc.Manifest) {
			return nil, fmt.Errorf("recording %s@%s: it is an artifact (an attached SBOM, a signature): %w", repo, desc.Digest, errNotImage)
		}
		a, err := s.ingestImage(ctx, o, repo, desc.Digest, "", "", tags, Document{}, desc.Image)
		if err != nil {
			return nil, err
		}
		return []Added{a}, nil
	default:
		return nil, fmt.Errorf("recording %s@%s: %s is neither an image nor an index: %w", repo, desc.Digest, desc.MediaType, errNotImage)
	}
}

// errNotImage marks manifests that are not container images (SBOMs and
// other artifacts attached to images): Sync skips them.
var errNotImage = errors.New("not a container image")

// isImageManifest reports whether a manifest's config is an image config,
// not an artifact's (an attached SBOM, a signature).
func isImageManifest(raw []byte) bool {
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return true // let the image reader report it
	}
	return m.ArtifactType == "" && imageConfig(m.Config.MediaType)
}

// imageConfig reports whether an index entry's artifactType (or a
// manifest's config media type) is that of a container image: empty, or an
// image config (go-containerregistry writes the config's media type as
// every image's artifactType in an index).
func imageConfig(t types.MediaType) bool {
	return t == "" || t == types.OCIConfigJSON || t == types.DockerConfigJSON
}

// isAttestation reports whether an index entry is a build attestation, not
// a platform image.
func isAttestation(d v1.Descriptor) bool {
	_, ok := d.Annotations["vnd.docker.reference.type"]
	return ok || (d.Platform != nil && d.Platform.OS == "unknown")
}

// ingestImage records one platform image unless the store holds it, in one
// transaction, with the documents read: indexDoc (the index listing it,
// when there is one) and, when the image was opened, its manifest and
// config.
func (s *Store) ingestImage(ctx context.Context, o *ingestOptions, repo name.Repository, digest v1.Hash, platform, index string, tags []string, indexDoc Document, open func() (v1.Image, error)) (Added, error) {
	a := Added{Repository: repo.Name(), Digest: digest.String(), Platform: platform, IndexDigest: index, Tags: tags, From: FromKnown}
	ref := ImageRef{Repository: repo.Name(), Tags: tags, IndexDigest: index}
	if indexDoc.Digest != "" {
		ref.Documents = append(ref.Documents, indexDoc)
	}
	known, err := s.holds(ctx, repo.Name(), digest.String())
	if err != nil {
		return a, err
	}
	if known {
		if len(tags) == 0 {
			return a, nil
		}
		err := s.PutImage(ctx, &sbom.Document{Image: sbom.Image{Name: repo.Name(), Digest: digest.String()}}, ref)
		return a, err
	}
	doc, err := s.knownDocument(ctx, digest.String())
	if err != nil {
		return a, err
	}
	from := FromOtherRepository
	if doc == nil {
		img, err := open()
		if err != nil {
			return a, fmt.Errorf("reading %s@%s: %w", repo, digest, err)
		}
		if doc, from, err = o.document(ctx, repo, digest, img); err != nil {
			return a, err
		}
		docs, err := ImageDocuments(img)
		if err != nil {
			return a, fmt.Errorf("reading %s@%s: %w", repo, digest, err)
		}
		ref.Documents = append(ref.Documents, docs...)
	}
	doc.Image.Name, doc.Image.Digest, doc.Image.Tags = repo.Name(), digest.String(), nil
	if platform != "" {
		doc.Image.Platform = platform
	}
	a.From, a.Packages, a.Platform = from, len(doc.Packages), doc.Image.Platform
	return a, s.PutImage(ctx, doc, ref)
}

// holds reports whether the store has the image digest of repo with its
// layers.
func (s *Store) holds(ctx context.Context, repo, digest string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM images i JOIN image_layers l ON l.image_id = i.id
		WHERE i.repository = ? AND i.digest = ?`), repo, digest).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("looking %s@%s up in the inventory at %s: %w", repo, digest, s.where, err)
	}
	return n > 0, nil
}

// document returns the image's document: from its attached CycloneDX SBOM
// if that describes exactly this image, else by inspecting it.
func (o *ingestOptions) document(ctx context.Context, repo name.Repository, digest v1.Hash, img v1.Image) (*sbom.Document, string, error) {
	data, err := []byte(nil), error(sbom.ErrNotAttached)
	if !o.local {
		data, err = sbom.Attached(ctx, repo.Digest(digest.String()), sbom.ArtifactCycloneDX, o.ropts...)
	}
	switch {
	case err == nil:
		doc, err := DocumentFromCycloneDX(data)
		if err == nil {
			err = matchImage(doc, digest, img)
		}
		if err == nil {
			return doc, FromSBOM, nil
		}
		o.log.Warn("the attached SBOM does not fit the image; inspecting it instead", "image", repo.Name()+"@"+digest.String(), "err", err)
	case !errors.Is(err, sbom.ErrNotAttached):
		return nil, "", fmt.Errorf("reading the SBOM attached to %s@%s: %w", repo, digest, err)
	}
	doc, err := sbom.FromImage(ctx, img, sbom.WithName(repo.Name()), sbom.WithLogger(o.log))
	if err != nil {
		return nil, "", fmt.Errorf("inspecting %s@%s: %w", repo, digest, err)
	}
	return doc, FromInspected, nil
}

// matchImage checks that doc describes img (same digest, same layers by
// diffID) and completes its layers' digests and its platform from img.
func matchImage(doc *sbom.Document, digest v1.Hash, img v1.Image) error {
	if doc.Image.Digest != digest.String() {
		return fmt.Errorf("the SBOM describes %s", doc.Image.Digest)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return fmt.Errorf("reading the image config: %w", err)
	}
	m, err := img.Manifest()
	if err != nil {
		return fmt.Errorf("reading the manifest: %w", err)
	}
	diffIDs := cf.RootFS.DiffIDs
	if len(diffIDs) != len(doc.Image.Layers) || len(m.Layers) != len(diffIDs) {
		return fmt.Errorf("the SBOM lists %d layers, the image has %d", len(doc.Image.Layers), len(diffIDs))
	}
	for i, l := range doc.Image.Layers {
		if l.DiffID != diffIDs[i].String() {
			return fmt.Errorf("layer %d is %s in the SBOM, %s in the image", i, l.DiffID, diffIDs[i])
		}
		doc.Image.Layers[i].Digest = m.Layers[i].Digest.String()
	}
	if doc.Image.Platform == "" && cf.OS != "" {
		doc.Image.Platform = strings.Join(slices.DeleteFunc([]string{cf.OS, cf.Architecture, cf.Variant}, func(s string) bool { return s == "" }), "/")
	}
	return nil
}
