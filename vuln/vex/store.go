package vex

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/ingot-dev/ingot/internal/datadir"
	"github.com/ingot-dev/ingot/vuln"
)

// EnvDB names the environment variable that places the decision store.
const EnvDB = "INGOT_VEX_DB"

// Store holds decisions in a SQLite file, one per vulnerability and scope: a
// later decision for the same vulnerability and scope replaces the earlier.
// Safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// DefaultPath returns $INGOT_VEX_DB, else vex.db in ingot's data directory
// ($INGOT_DATA_DIR, else $XDG_DATA_HOME/ingot, else ~/.local/share/ingot:
// the inventory's directory).
func DefaultPath() (string, error) {
	p, err := datadir.Path(EnvDB, "vex.db")
	if err != nil {
		return "", fmt.Errorf("finding the VEX store: %w", err)
	}
	return p, nil
}

const schema = `CREATE TABLE IF NOT EXISTS decisions (
	vuln          TEXT NOT NULL,
	image         TEXT NOT NULL,
	repo          TEXT NOT NULL,
	purl          TEXT NOT NULL,
	status        TEXT NOT NULL,
	justification TEXT NOT NULL,
	impact        TEXT NOT NULL,
	action        TEXT NOT NULL,
	note          TEXT NOT NULL,
	author        TEXT NOT NULL,
	timestamp     TEXT NOT NULL,
	PRIMARY KEY (vuln, image, repo, purl)
)`

// Open opens (creating it and its directory if needed) the store at path; ""
// means DefaultPath.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the VEX store's directory: %w", err)
	}
	db, err := datadir.OpenSQLite(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("opening the VEX store %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating the VEX store %s: %w (is it a SQLite file ingot can write?)", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Path returns the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Set validates and records decisions in one transaction, each replacing any
// earlier decision for the same vulnerability and scope.
func (s *Store) Set(ctx context.Context, ds ...Decision) error {
	for i := range ds {
		if err := ds[i].Validate(); err != nil {
			return err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("recording VEX decisions in %s: %w", s.path, err)
	}
	defer tx.Rollback()
	for _, d := range ds {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO decisions
			(vuln, image, repo, purl, status, justification, impact, action, note, author, timestamp)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Vuln, d.Image, d.Repo, d.PURL, string(d.Status), d.Justification, d.Impact, d.Action, d.Note,
			d.Author, d.Timestamp.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("recording the VEX decision on %s in %s: %w", d.Vuln, s.path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("recording VEX decisions in %s: %w", s.path, err)
	}
	return nil
}

// List returns every decision, ordered by vulnerability and scope.
func (s *Store) List(ctx context.Context) ([]Decision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT vuln, image, repo, purl, status, justification, impact, action,
		note, author, timestamp FROM decisions ORDER BY vuln, image, repo, purl`)
	if err != nil {
		return nil, fmt.Errorf("reading VEX decisions from %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var status, ts string
		if err := rows.Scan(&d.Vuln, &d.Image, &d.Repo, &d.PURL, &status, &d.Justification, &d.Impact, &d.Action,
			&d.Note, &d.Author, &ts); err != nil {
			return nil, fmt.Errorf("reading VEX decisions from %s: %w", s.path, err)
		}
		d.Status = vuln.Status(status)
		if d.Timestamp, err = time.Parse(time.RFC3339Nano, ts); err != nil {
			return nil, fmt.Errorf("reading VEX decisions from %s: bad timestamp %q: %w", s.path, ts, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
