package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/ingot-dev/ingot/internal/datadir"
)

// EnvDB names the environment variable that selects the store when no --db
// is given: a PostgreSQL URL or a SQLite file path.
const EnvDB = "INGOT_DB"

// EnvDataDir overrides the directory of the default SQLite store (and of
// ingot's other local stores): datadir.EnvDataDir.
const EnvDataDir = datadir.EnvDataDir

// Store is an open inventory. It is safe for concurrent use.
type Store struct {
	db        *sql.DB
	d         dialect
	log       *slog.Logger
	stmts     sync.Map // query → *sql.Stmt, see prepared
	knownPkgs sync.Map // package ident → id, of committed packages
	nKnown    atomic.Int64
	dirs      dirCache
	// where is the store's location for messages (a path, or a URL without password).
	where string
}

// Option configures Open.
type Option func(*options)

type options struct {
	log       *slog.Logger
	maxConns  int
	noMigrate bool
}

// WithLogger sets the logger for migrations and retries. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithMaxConns bounds the open connections to PostgreSQL, and the idle
// connections kept to SQLite (whose open connections are not bounded: one
// per writer transaction plus readers). Default: 8.
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = n } }

// WithoutMigrate opens the store without applying pending migrations
// (Migrate can be called later). Default: migrate on open.
func WithoutMigrate() Option { return func(o *options) { o.noMigrate = true } }

// DefaultLocation returns where the store lives when no location is given:
// $INGOT_DB if set, else inventory.db in ingot's data directory
// ($INGOT_DATA_DIR, else $XDG_DATA_HOME/ingot, else ~/.local/share/ingot).
func DefaultLocation() (string, error) {
	p, err := datadir.Path(EnvDB, "inventory.db")
	if err != nil {
		return "", fmt.Errorf("finding the inventory: %w", err)
	}
	return p, nil
}

// IsPostgres reports whether location names a PostgreSQL database.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Open opens the store at location: a postgres:// URL, or the path of a
// SQLite file (created with its directory if missing; "" means
// DefaultLocation). Pending migrations are applied unless WithoutMigrate.
func Open(ctx context.Context, location string, opts ...Option) (*Store, error) {
	o := options{log: slog.New(slog.DiscardHandler), maxConns: 8}
	for _, opt := range opts {
		opt(&o)
	}
	if location == "" {
		var err error
		if location, err = DefaultLocation(); err != nil {
			return nil, err
		}
	}
	s := &Store{log: o.log}
	var err error
	if IsPostgres(location) {
		s.d = postgres{}
		s.where = redact(location)
		s.db, err = sql.Open("pgx", location)
		if err == nil {
			s.db.SetMaxOpenConns(o.maxConns)
			s.db.SetMaxIdleConns(o.maxConns)
		}
	} else {
		location = strings.TrimPrefix(location, "sqlite://")
		s.d = sqlite{}
		s.where = location
		if err := os.MkdirAll(filepath.Dir(location), 0o755); err != nil {
			return nil, fmt.Errorf("creating the inventory's directory: %w", err)
		}
		s.db, err = datadir.OpenSQLite(ctx, location, sqlitePragmas...)
		if err == nil {
			// Connections are kept rather than closed after each use
			// (database/sql keeps two): opening one applies the pragmas,
			// reads the schema and prepares every statement again, and a
			// fleet update's concurrent reads and writes spent a good part
			// of their CPU doing that. Not bounded: a transaction may
			// prepare a statement on another connection while writers wait
			// for the lock on theirs.
			s.db.SetMaxIdleConns(o.maxConns)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("opening the inventory at %s: %w", s.where, err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connecting to the inventory at %s: %w (check --db or %s)", s.where, err, EnvDB)
	}
	if !o.noMigrate {
		if err := s.Migrate(ctx); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

// sqlitePragmas are what the inventory adds to datadir.OpenSQLite (WAL, a
// busy timeout, immediate write transactions, so concurrent writers queue
// instead of failing): foreign keys, and a page cache and checkpoint
// interval sized for fleets of thousands of images.
var sqlitePragmas = []string{
	"foreign_keys(1)",
	"cache_size(-65536)",       // 64 MiB: the indexes of a large fleet stay in memory
	"wal_autocheckpoint(8192)", // 32 MiB of WAL between checkpoints
}

// redact removes the password from a PostgreSQL URL.
func redact(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	userinfo := u[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return u[:scheme+3] + userinfo[:i] + ":xxxxx" + u[at:]
	}
	return u
}

// Close closes the store.
func (s *Store) Close() error {
	s.closeStmts()
	s.dirs.close()
	return s.db.Close()
}

// Location returns where the store is (a PostgreSQL URL has its password masked).
func (s *Store) Location() string { return s.where }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name() }

// ErrNotFound is returned when an image, reference or base is not in the inventory.
var ErrNotFound = errors.New("not in the inventory")
