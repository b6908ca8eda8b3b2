package inventory

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SetOwner assigns an owner by hand to the images of ref's repository (or,
// with layer set, to the layers of that name in them), for images ingot did
// not build. It overrides owners recorded from SBOMs and annotations, and
// applies to images of the repository ingested later too.
func (s *Store) SetOwner(ctx context.Context, ref, team, contact, layer string) error {
	if strings.TrimSpace(team) == "" {
		return fmt.Errorf("setting the owner of %s: the team is empty; give --team", ref)
	}
	images, err := s.Resolve(ctx, ref)
	if err != nil {
		return fmt.Errorf("setting the owner of %s: %w", ref, err)
	}
	repo := images[0].Repository
	if layer != "" {
		var n int
		err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM image_layers il JOIN images i ON i.id = il.image_id
			JOIN layers l ON l.id = il.layer_id WHERE i.repository = ? AND l.name = ?`), repo, layer).Scan(&n)
		if err != nil {
			return fmt.Errorf("setting the owner of layer %s of %s: %w", layer, repo, err)
		}
		if n == 0 {
			return fmt.Errorf("setting the owner of layer %q of %s: no image of %s has a layer of that name; see its layers with ingot inventory show %s", layer, repo, repo, ref)
		}
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO owners (repository, layer, team, contact) VALUES (?, ?, ?, ?)
			ON CONFLICT (repository, layer) DO UPDATE SET team = excluded.team, contact = excluded.contact`), repo, layer, team, contact)
		return err
	})
	if err != nil {
		return fmt.Errorf("setting the owner of %s: %w", ref, err)
	}
	return nil
}
