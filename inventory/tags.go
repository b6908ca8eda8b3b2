package inventory

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TagEvent is one entry of a tag's history: the tag pointed at Digest from
// Seen on ("" Digest: the tag vanished).
type TagEvent struct {
	Repository string `json:"repository"`
	Tag        string `json:"tag"`
	Digest     string `json:"digest"`
	Seen       string `json:"seen"`
}

// RemoveTag records that tag vanished from repository. Removing an unknown
// tag does nothing.
func (s *Store) RemoveTag(ctx context.Context, repository, tag string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind("DELETE FROM tags WHERE repository = ? AND tag = ?"), repository, tag)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.rebind("INSERT INTO tag_history (repository, tag, digest, seen_at) VALUES (?, ?, '', ?)"),
			repository, tag, time.Now().UTC().Format(time.RFC3339Nano))
		return err
	})
	if err != nil {
		return fmt.Errorf("removing tag %s:%s from the inventory: %w", repository, tag, err)
	}
	return nil
}

// Tags returns the tags of repository and the digests they point at.
func (s *Store) Tags(ctx context.Context, repository string) (map[string]string, error) {
	rows, err := s.query(ctx, "SELECT tag, digest FROM tags WHERE repository = ?", repository)
	if err != nil {
		return nil, fmt.Errorf("reading the tags of %s: %w", repository, err)
	}
	defer rows.Close()
	out := make(map[string]string)
	for rows.Next() {
		var t, d string
		if err := rows.Scan(&t, &d); err != nil {
			return nil, err
		}
		out[t] = d
	}
	return out, rows.Err()
}

// TagHistory returns where tag of repository pointed over time, oldest first.
func (s *Store) TagHistory(ctx context.Context, repository, tag string) ([]TagEvent, error) {
	rows, err := s.query(ctx, "SELECT digest, seen_at FROM tag_history WHERE repository = ? AND tag = ? ORDER BY id", repository, tag)
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s:%s: %w", repository, tag, err)
	}
	defer rows.Close()
	var out []TagEvent
	for rows.Next() {
		e := TagEvent{Repository: repository, Tag: tag}
		if err := rows.Scan(&e.Digest, &e.Seen); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
