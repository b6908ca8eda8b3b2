package sbom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Artifact types of SBOMs attached to images (OCI 1.1 artifactType, and
// the media type of the document layer).
const (
	ArtifactSPDX      = "application/spdx+json"
	ArtifactCycloneDX = "application/vnd.cyclonedx+json"
)

// Attachment is one SBOM document to attach to an image.
type Attachment struct {
	ArtifactType string // ArtifactSPDX, ArtifactCycloneDX
	Data         []byte // the document, exactly as it is to be read back
	Filename     string // org.opencontainers.image.title of the layer, e.g. "sbom.spdx.json"; optional
	// Created, when set, is recorded as the manifest's
	// org.opencontainers.image.created; Attached prefers the newest.
	// Left zero, the same document attaches once however often it is attached.
	Created time.Time
}

const annotationCreated = "org.opencontainers.image.created"

// emptyConfig is the OCI empty descriptor's content (image-spec manifest.md).
var emptyConfig = []byte("{}")

// Attach stores each document as an OCI 1.1 referrer of the image ref: an
// image manifest with the document's artifactType, the empty config, one
// layer holding the document, and the image as subject. Registries without
// the referrers API get the referrers tag schema ("sha256-<hex>") instead,
// which go-containerregistry maintains. Attaching the same document twice
// (without Created) stores it once. opts are go-containerregistry's (auth, transport); the
// context is ctx.
func Attach(ctx context.Context, ref name.Digest, docs []Attachment, opts ...remote.Option) error {
	opts = append(opts, remote.WithContext(ctx))
	subject, err := remote.Head(ref, opts...)
	if err != nil {
		return fmt.Errorf("looking up %s to attach SBOMs to: %w", ref, err)
	}
	repo := ref.Context()
	cfg := static.NewLayer(emptyConfig, types.OCIEmptyJSON)
	if err := remote.WriteLayer(repo, cfg, opts...); err != nil {
		return fmt.Errorf("uploading the empty config to %s: %w", repo, err)
	}
	for _, d := range docs {
		if err := attachOne(repo, *subject, d, opts); err != nil {
			return fmt.Errorf("attaching the %s SBOM to %s: %w", d.ArtifactType, ref, err)
		}
	}
	return nil
}

func attachOne(repo name.Repository, subject v1.Descriptor, d Attachment, opts []remote.Option) error {
	if d.ArtifactType == "" {
		return fmt.Errorf("no artifact type given for the document")
	}
	layer := static.NewLayer(d.Data, types.MediaType(d.ArtifactType))
	if err := remote.WriteLayer(repo, layer, opts...); err != nil {
		return fmt.Errorf("uploading the document: %w", err)
	}
	raw, err := artifactManifest(subject, d)
	if err != nil {
		return err
	}
	h, _, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	if err := remote.Put(repo.Digest(h.String()), rawManifest(raw), opts...); err != nil {
		return fmt.Errorf("putting the artifact manifest %s: %w", h, err)
	}
	return nil
}

// ArtifactManifest returns the OCI 1.1 artifact manifest that Attach puts
// for d with subject as its subject: d's artifactType, the empty config
// (its content inline, in the descriptor's data), one layer holding d.Data,
// and only the subject's media type, digest and size. It is for writers
// other than Attach (a fleet rebase attaching with its own requests) that
// must put the same bytes. The blobs it names (the empty config and d.Data)
// must be in the repository before it is put.
func ArtifactManifest(subject v1.Descriptor, d Attachment) ([]byte, error) {
	if d.ArtifactType == "" {
		return nil, fmt.Errorf("making the artifact manifest of a document for %s: no artifact type given", subject.Digest)
	}
	return artifactManifest(subject, d)
}

// artifactManifest returns the manifest of one attached document. It holds
// nothing that changes between runs, so the same document attaches once.
func artifactManifest(subject v1.Descriptor, d Attachment) ([]byte, error) {
	cfgHash, _, err := v1.SHA256(bytes.NewReader(emptyConfig))
	if err != nil {
		return nil, err
	}
	docHash, _, err := v1.SHA256(bytes.NewReader(d.Data))
	if err != nil {
		return nil, err
	}
	layer := v1.Descriptor{MediaType: types.MediaType(d.ArtifactType), Digest: docHash, Size: int64(len(d.Data))}
	if d.Filename != "" {
		layer.Annotations = map[string]string{"org.opencontainers.image.title": d.Filename}
	}
	sub := v1.Descriptor{MediaType: subject.MediaType, Digest: subject.Digest, Size: subject.Size}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		ArtifactType:  d.ArtifactType,
		Config:        v1.Descriptor{MediaType: types.OCIEmptyJSON, Digest: cfgHash, Size: int64(len(emptyConfig)), Data: emptyConfig},
		Layers:        []v1.Descriptor{layer},
		Subject:       &sub,
	}
	if !d.Created.IsZero() {
		m.Annotations = map[string]string{annotationCreated: d.Created.UTC().Format(time.RFC3339)}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding the artifact manifest: %w", err)
	}
	return raw, nil
}

// rawManifest is a manifest to put as it is.
type rawManifest []byte

func (r rawManifest) RawManifest() ([]byte, error)        { return r, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
