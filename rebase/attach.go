package rebase

// This file attaches a rebased image's SBOMs through the Pusher, with the
// requests sbom.Attach (go-containerregistry underneath) would spend on a
// fleet left out: the subject is not looked up (it is the manifest just
// written), the empty config is uploaded once per repository (Blobs), each
// document is a monolithic upload, each artifact manifest one PUT, and a
// registry without the referrers API gets its fallback tag index read and
// written once for all the documents of a subject, not once per document.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/sbom"
)

// maxReferrersIndex bounds the referrers fallback index read back (some
// 10,000 referrers).
const maxReferrersIndex = 4 << 20

// attach stores docs as OCI 1.1 referrers of subject (a manifest of repo
// that is already written), each an artifact manifest byte-identical to
// sbom.Attach's (sbom.ArtifactManifest). When the registry answers the PUT
// of an artifact manifest without OCI-Subject (it has no referrers API),
// the referrers tag schema's index "sha256-<subject hex>" is updated, as
// go-containerregistry writes it, so that sbom.Attached and other tools
// find the documents. Every step is safe to repeat: a rerun after a
// failure puts the same manifests again and adds to the index only what
// it lacks. Two concurrent attaches to one subject may lose one's update
// of the index (the tag schema has no locking); a fleet never does that.
func (p *Pusher) attach(ctx context.Context, repo name.Repository, subject v1.Descriptor, docs []sbom.Attachment, blobs *Blobs) error {
	if err := p.attachAll(ctx, repo, subject, docs, blobs); err != nil {
		return fmt.Errorf("attaching the SBOMs of %s (rerun to retry): %w", repo.Digest(subject.Digest.String()), err)
	}
	return nil
}

func (p *Pusher) attachAll(ctx context.Context, repo name.Repository, subject v1.Descriptor, docs []sbom.Attachment, blobs *Blobs) error {
	rt, err := p.transport(ctx, repo, nil)
	if err != nil {
		return err
	}
	var added []v1.Descriptor
	fallback := false
	for _, d := range docs {
		desc, supported, err := p.attachOne(ctx, rt, repo, subject, d, blobs)
		if err != nil {
			return fmt.Errorf("attaching the %s document: %w", d.ArtifactType, err)
		}
		added = append(added, desc)
		fallback = fallback || !supported
	}
	if !fallback || len(added) == 0 {
		return nil
	}
	if err := p.addReferrers(ctx, rt, repo, subject.Digest, added); err != nil {
		return fmt.Errorf("listing the SBOMs in the referrers tag %s (the registry has no referrers API): %w", referrersTag(repo, subject.Digest), err)
	}
	return nil
}

// attachOne uploads d's blobs and puts its artifact manifest by digest. It
// returns the manifest's descriptor as a referrers index lists it, and
// whether the registry said it keeps the referrers itself (OCI-Subject).
func (p *Pusher) attachOne(ctx context.Context, rt http.RoundTripper, repo name.Repository, subject v1.Descriptor, d sbom.Attachment, blobs *Blobs) (v1.Descriptor, bool, error) {
	raw, err := sbom.ArtifactManifest(subject, d)
	if err != nil {
		return v1.Descriptor{}, false, err
	}
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return v1.Descriptor{}, false, fmt.Errorf("reading back the artifact manifest: %w", err)
	}
	if len(m.Layers) != 1 {
		return v1.Descriptor{}, false, fmt.Errorf("the artifact manifest has %d layers, want 1", len(m.Layers))
	}
	// The config's content is inline (the empty descriptor's data).
	blobsOf := []struct {
		desc v1.Descriptor
		data []byte
	}{{m.Config, m.Config.Data}, {m.Layers[0], d.Data}}
	for _, b := range blobsOf {
		if blobs.has(repo, b.desc.Digest) {
			continue
		}
		if h, _, err := v1.SHA256(bytes.NewReader(b.data)); err != nil || h != b.desc.Digest {
			return v1.Descriptor{}, false, fmt.Errorf("the blob of %s is not %s as the artifact manifest says", b.desc.MediaType, b.desc.Digest)
		}
		if err := p.upload(ctx, rt, repo, b.desc.Digest, b.data); err != nil {
			return v1.Descriptor{}, false, fmt.Errorf("uploading %s (%s) to %s: %w", b.desc.Digest, b.desc.MediaType, repo, err)
		}
		blobs.add(repo, b.desc.Digest)
	}
	h, size, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return v1.Descriptor{}, false, err
	}
	hdr, err := p.putManifest(ctx, repo.Digest(h.String()), m.MediaType, h, raw)
	if err != nil {
		return v1.Descriptor{}, false, fmt.Errorf("putting the artifact manifest %s: %w", h, err)
	}
	// What go-containerregistry adds to the fallback index for a manifest.
	desc := v1.Descriptor{MediaType: m.MediaType, Digest: h, Size: size, Annotations: m.Annotations, ArtifactType: m.ArtifactType}
	return desc, hdr.Get("OCI-Subject") != "", nil
}

// referrersTag is the referrers tag schema's tag for subject: its digest
// with the ":" replaced by "-".
func referrersTag(repo name.Repository, subject v1.Hash) name.Tag {
	return repo.Tag(subject.Algorithm + "-" + subject.Hex)
}

// addReferrers adds descs to subject's referrers tag index in repo: it
// reads the index (none yet: an empty one), adds what it lacks
// (mergeReferrers) and puts it back when anything was added.
func (p *Pusher) addReferrers(ctx context.Context, rt http.RoundTripper, repo name.Repository, subject v1.Hash, descs []v1.Descriptor) error {
	tag := referrersTag(repo, subject)
	raw, err := p.getIndex(ctx, rt, tag)
	if err != nil {
		return fmt.Errorf("reading it: %w", err)
	}
	out, changed, err := mergeReferrers(raw, descs)
	if err != nil || !changed {
		return err
	}
	h, _, err := v1.SHA256(bytes.NewReader(out))
	if err != nil {
		return err
	}
	if _, err := p.putManifest(ctx, tag, types.OCIImageIndex, h, out); err != nil {
		return fmt.Errorf("putting it: %w", err)
	}
	return nil
}

// mergeReferrers returns the referrers tag index raw (nil: none yet) with
// the descriptors of descs it does not list (by digest) added, sorted by
// digest, as go-containerregistry's fallback writes it; changed is false,
// and out nil, when it lists them all already. raw comes from the
// registry: it must be an OCI index of schema version 2.
func mergeReferrers(raw []byte, descs []v1.Descriptor) (out []byte, changed bool, err error) {
	im := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex}
	if raw != nil {
		if err := json.Unmarshal(raw, &im); err != nil {
			return nil, false, fmt.Errorf("decoding it (fix or delete the tag, then rerun): %w", err)
		}
		if im.SchemaVersion != 2 || im.MediaType != types.OCIImageIndex {
			return nil, false, fmt.Errorf("it is not an OCI image index (schemaVersion %d, mediaType %q): fix or delete the tag, then rerun", im.SchemaVersion, im.MediaType)
		}
		for _, d := range im.Manifests {
			if _, err := v1.NewHash(d.Digest.String()); err != nil {
				return nil, false, fmt.Errorf("it lists a manifest without a valid digest (%q): fix or delete the tag, then rerun", d.Digest)
			}
		}
	}
	n := len(im.Manifests)
	for _, d := range descs {
		if !slices.ContainsFunc(im.Manifests, func(e v1.Descriptor) bool { return e.Digest == d.Digest }) {
			im.Manifests = append(im.Manifests, d)
		}
	}
	if len(im.Manifests) == n {
		return nil, false, nil
	}
	slices.SortStableFunc(im.Manifests, func(a, b v1.Descriptor) int { return strings.Compare(a.Digest.String(), b.Digest.String()) })
	if out, err = json.Marshal(im); err != nil {
		return nil, false, fmt.Errorf("encoding it: %w", err)
	}
	return out, true, nil
}

// getIndex reads the OCI index tagged tag, at most maxReferrersIndex bytes;
// nil when there is none (404).
func (p *Pusher) getIndex(ctx context.Context, rt http.RoundTripper, tag name.Tag) ([]byte, error) {
	repo := tag.Context()
	u := &url.URL{Scheme: repo.Scheme(), Host: repo.RegistryStr(), Path: "/v2/" + repo.RepositoryStr() + "/manifests/" + tag.TagStr()}
	var raw []byte
	err := p.retry(ctx, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", string(types.OCIImageIndex))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			return &roundTripError{err}
		}
		defer drain(resp)
		if resp.StatusCode == http.StatusNotFound {
			raw = nil
			return nil
		}
		if err := transport.CheckError(resp, http.StatusOK); err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxReferrersIndex+1))
		if err != nil {
			return &roundTripError{err}
		}
		if len(b) > maxReferrersIndex {
			return fmt.Errorf("it is over %d bytes", maxReferrersIndex)
		}
		raw = b
		return nil
	})
	return raw, err
}
