package feed

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/ingot-dev/ingot/internal/datadir"
	"github.com/ingot-dev/ingot/vuln"
)

// Environment variables that place the feed store.
const (
	EnvFeedsDB = "INGOT_FEEDS_DB"
	EnvDataDir = datadir.EnvDataDir
)

// Store is the local copy of the feeds: a SQLite file holding one row per
// advisory. Feeds are public data anyone can download again, so they live
// apart from the inventory (which may be PostgreSQL): matching needs them on
// the machine that matches, read in one pass. Safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	log  *slog.Logger
}

// Option configures Open.
type Option func(*options)

type options struct {
	log *slog.Logger
}

// WithLogger sets where Import reports records it skips. Default: nothing is
// logged (skipped records are still returned in Stats).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// DefaultPath returns $INGOT_FEEDS_DB, else feeds.db in ingot's data
// directory ($INGOT_DATA_DIR, else $XDG_DATA_HOME/ingot, else
// ~/.local/share/ingot: the inventory's directory).
func DefaultPath() (string, error) {
	p, err := datadir.Path(EnvFeedsDB, "feeds.db")
	if err != nil {
		return "", fmt.Errorf("finding the feed store: %w", err)
	}
	return p, nil
}

const schema = `
CREATE TABLE IF NOT EXISTS advisories (
	source   TEXT NOT NULL,
	id       TEXT NOT NULL,
	modified TEXT NOT NULL,
	data     BLOB NOT NULL,
	PRIMARY KEY (source, id)
);
CREATE TABLE IF NOT EXISTS imports (
	origin     TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	advisories INTEGER NOT NULL,
	imported   TEXT NOT NULL
);`

// Open opens (creating it and its directory if needed) the feed store at
// path; "" means DefaultPath.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the feed store's directory: %w (set %s)", err, EnvFeedsDB)
	}
	db, err := datadir.OpenSQLite(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("opening the feed store %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the feed store %s: %w (is it a feed store? set %s to another file)", path, err, EnvFeedsDB)
	}
	return &Store{db: db, path: path, log: o.log}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the store's file.
func (s *Store) Path() string { return s.path }

// Load reads every advisory into an in-memory DB.
func (s *Store) Load(ctx context.Context) (*DB, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, id, data FROM advisories ORDER BY source, id`)
	if err != nil {
		return nil, fmt.Errorf("loading advisories from %s: %w", s.path, err)
	}
	defer rows.Close()
	var advs []*vuln.Advisory
	for rows.Next() {
		var src, id string
		var data []byte
		if err := rows.Scan(&src, &id, &data); err != nil {
			return nil, fmt.Errorf("loading advisories from %s: %w", s.path, err)
		}
		a := new(vuln.Advisory)
		if err := json.Unmarshal(data, a); err != nil {
			return nil, fmt.Errorf("loading advisory %s/%s from %s: %w (re-import the feed)", src, id, s.path, err)
		}
		advs = append(advs, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading advisories from %s: %w", s.path, err)
	}
	return NewDB(advs), nil
}

// Source is one import recorded in the store.
type Source struct {
	Origin     string `json:"origin"` // the file, directory or URL imported
	Kind       string `json:"kind"`   // "osv", "debian-tracker"
	Advisories int    `json:"advisories"`
	Imported   string `json:"imported"` // RFC 3339, UTC
}

// Sources lists what was imported into the store, by origin.
func (s *Store) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT origin, kind, advisories, imported FROM imports ORDER BY origin`)
	if err != nil {
		return nil, fmt.Errorf("listing imports of %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var src Source
		if err := rows.Scan(&src.Origin, &src.Kind, &src.Advisories, &src.Imported); err != nil {
			return nil, fmt.Errorf("listing imports of %s: %w", s.path, err)
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

// Counts returns the number of stored advisories per source (vuln.SourceOSV,
// vuln.SourceDebianTracker).
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, COUNT(*) FROM advisories GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("counting advisories in %s: %w", s.path, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, fmt.Errorf("counting advisories in %s: %w", s.path, err)
		}
		out[src] = n
	}
	return out, rows.Err()
}
