package inventory

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ImageDocuments returns img's manifest and config as Documents, for
// ImageRef.Documents. It reads them through img: callers pass an image they
// hold in memory or have read already.
func ImageDocuments(img v1.Image) ([]Document, error) {
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	rawM, err := img.RawManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	mt, err := img.MediaType()
	if err != nil {
		return nil, fmt.Errorf("reading the manifest's media type: %w", err)
	}
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("reading the manifest's digest: %w", err)
	}
	rawC, err := img.RawConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the config: %w", err)
	}
	return []Document{
		{Digest: d.String(), MediaType: string(mt), Body: rawM},
		{Digest: m.Config.Digest.String(), MediaType: string(m.Config.MediaType), Body: rawC},
	}, nil
}

// IndexDocument returns idx's own index as a Document (not its images').
func IndexDocument(idx v1.ImageIndex) (Document, error) {
	raw, err := idx.RawManifest()
	if err != nil {
		return Document{}, fmt.Errorf("reading the index: %w", err)
	}
	mt, err := idx.MediaType()
	if err != nil {
		return Document{}, fmt.Errorf("reading the index's media type: %w", err)
	}
	d, err := idx.Digest()
	if err != nil {
		return Document{}, fmt.Errorf("reading the index's digest: %w", err)
	}
	return Document{Digest: d.String(), MediaType: string(mt), Body: raw}, nil
}
