package inventory

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// document makes a Document of body with its true digest.
func document(mediaType, body string) Document {
	return Document{Digest: fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(body))), MediaType: mediaType, Body: []byte(body)}
}

func testDocuments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		manifest := document("application/vnd.oci.image.manifest.v1+json", `{"schemaVersion":2}`)
		config := document("application/vnd.oci.image.config.v1+json", `{"architecture":"amd64"}`)
		d := fleet()[0]
		if err := s.PutImage(ctx, d, ImageRef{Documents: []Document{manifest, config}}); err != nil {
			t.Fatal(err)
		}
		// Again, and with another image sharing the config: nothing
		// changes, nothing fails.
		if err := s.PutImage(ctx, fleet()[1], ImageRef{Documents: []Document{config}}); err != nil {
			t.Fatal(err)
		}
		missing := digest("missing")
		got, err := s.Documents(ctx, []string{manifest.Digest, config.Digest, missing})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !equalDoc(got[manifest.Digest], manifest) || !equalDoc(got[config.Digest], config) {
			t.Errorf("Documents = %v, want the manifest and the config, not %s", got, missing)
		}

		t.Run("a document that is not what its digest says is refused", func(t *testing.T) {
			before := counts(t, s)
			before["documents"] = countDocuments(t, s)
			for _, bad := range []Document{
				{Digest: manifest.Digest, MediaType: manifest.MediaType, Body: []byte(`{"schemaVersion":3}`)},
				{Digest: "md5:00", MediaType: manifest.MediaType, Body: manifest.Body},
				{Digest: manifest.Digest, Body: manifest.Body},
				document("x", strings.Repeat(" ", maxDocument+1)),
			} {
				err := s.PutImage(ctx, fleet()[2], ImageRef{Documents: []Document{bad}})
				if err == nil {
					t.Errorf("PutImage with document %.80s (%s) succeeded", bad.Body, bad.Digest)
				}
			}
			after := counts(t, s)
			after["documents"] = countDocuments(t, s)
			if !maps.Equal(before, after) {
				t.Errorf("a refused put changed the store: %v, was %v", after, before)
			}
		})

		t.Run("many digests", func(t *testing.T) {
			var many []Document
			var digests []string
			for i := range idBatch + 3 {
				d := document("application/json", fmt.Sprintf(`{"n":%d}`, i))
				many = append(many, d)
				digests = append(digests, d.Digest)
			}
			if err := s.PutImages(ctx, []Put{{Doc: fleet()[3], Ref: ImageRef{Documents: many}}}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Documents(ctx, digests)
			if err != nil || len(got) != len(many) {
				t.Errorf("Documents of %d digests = %d, %v", len(many), len(got), err)
			}
		})

		t.Run("a changed row is reported", func(t *testing.T) {
			if _, err := s.db.ExecContext(ctx, s.d.rebind("UPDATE documents SET body = ? WHERE digest = ?"), []byte(`{}`), config.Digest); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Documents(ctx, []string{config.Digest}); err == nil || !strings.Contains(err.Error(), "damaged") {
				t.Errorf("Documents of a changed row: %v, want an error saying the inventory is damaged", err)
			}
		})
	})
}

func equalDoc(a, b Document) bool {
	return a.Digest == b.Digest && a.MediaType == b.MediaType && bytes.Equal(a.Body, b.Body)
}

func countDocuments(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM documents").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
