package inventory

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
)

// Document is a manifest, an index or a config as a registry serves it.
// The inventory keeps them with the images recorded from them (ImageRef's
// Documents), so that a fleet rebase takes from the inventory what it would
// otherwise read from the registry again. They are content-addressed:
// checked against Digest when written and when read.
type Document struct {
	Digest    string // "sha256:<hex>" of Body
	MediaType string
	Body      []byte
}

// maxDocument bounds one document: manifests, indexes and configs are
// small JSON documents.
const maxDocument = 4 << 20

// check verifies that d is what its digest says.
func (d Document) check() error {
	hexSum, ok := strings.CutPrefix(d.Digest, "sha256:")
	if !ok || len(hexSum) != 64 {
		return fmt.Errorf("document %q: not a sha256 digest", d.Digest)
	}
	if d.MediaType == "" {
		return fmt.Errorf("document %s: no media type", d.Digest)
	}
	if len(d.Body) > maxDocument {
		return fmt.Errorf("document %s: %d bytes, more than the %d a manifest or config may have", d.Digest, len(d.Body), maxDocument)
	}
	if sum := sha256.Sum256(d.Body); hex.EncodeToString(sum[:]) != hexSum {
		return fmt.Errorf("document %s: its bytes have digest sha256:%x", d.Digest, sum)
	}
	return nil
}

// putDocuments writes docs in tx; documents already held are left as they
// are (the same digest is the same bytes).
func (s *Store) putDocuments(ctx context.Context, tx *sql.Tx, docs []Document) error {
	for _, d := range docs {
		if _, err := s.txExec(ctx, tx, "INSERT INTO documents (digest, media_type, body) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING",
			d.Digest, d.MediaType, d.Body); err != nil {
			return fmt.Errorf("writing document %s: %w", d.Digest, err)
		}
	}
	return nil
}

// Documents returns the documents the inventory holds of digests, each
// verified against its digest. A digest it does not hold is absent from
// the map. A held document whose bytes do not match its digest is an
// error: the inventory was changed behind ingot's back.
func (s *Store) Documents(ctx context.Context, digests []string) (map[string]Document, error) {
	out := make(map[string]Document, len(digests))
	for start := 0; start < len(digests); start += idBatch {
		batch := digests[start:min(start+idBatch, len(digests))]
		args := make([]any, len(batch))
		for i, d := range batch {
			args[i] = d
		}
		q := "SELECT digest, media_type, body FROM documents WHERE digest IN (?" + strings.Repeat(", ?", len(batch)-1) + ")"
		rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
		if err != nil {
			return nil, fmt.Errorf("reading documents from the inventory at %s: %w", s.where, err)
		}
		for rows.Next() {
			var d Document
			if err := rows.Scan(&d.Digest, &d.MediaType, &d.Body); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading documents from the inventory at %s: %w", s.where, err)
			}
			if err := d.check(); err != nil {
				rows.Close()
				return nil, fmt.Errorf("the inventory at %s is damaged: %w", s.where, err)
			}
			out[d.Digest] = d
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("reading documents from the inventory at %s: %w", s.where, err)
		}
	}
	return out, nil
}
