// Package datadir places ingot's local SQLite stores (the inventory's SQLite
// file, the feed store, the VEX decisions) and opens them alike: where a
// store lives when no path is given, the DSN every store's SQLite
// connection uses, and OpenSQLite, which opens a store in WAL mode. It is
// not for the download cache (fetch.DefaultDir), which can be thrown away,
// nor for PostgreSQL inventories.
package datadir

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// EnvDataDir names the environment variable that holds the directory of
// every store that has no variable of its own set.
const EnvDataDir = "INGOT_DATA_DIR"

// Dir returns ingot's data directory: $INGOT_DATA_DIR, else
// $XDG_DATA_HOME/ingot, else ~/.local/share/ingot.
func Dir() (string, error) {
	if d := os.Getenv(EnvDataDir); d != "" {
		return d, nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "ingot"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding ingot's data directory: %w (set %s or XDG_DATA_HOME)", err, EnvDataDir)
	}
	return filepath.Join(home, ".local", "share", "ingot"), nil
}

// Path returns where a store lives when no path is given: the value of the
// environment variable env if set, else file in Dir.
func Path(env, file string) (string, error) {
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	dir, err := Dir()
	if err != nil {
		return "", fmt.Errorf("placing %s: %w (or set %s)", file, err, env)
	}
	return filepath.Join(dir, file), nil
}

// busyTimeout is how long a store's SQLite connection waits for another
// connection's lock, and how long OpenSQLite keeps trying to switch a new
// file to WAL.
const busyTimeout = 15 * time.Second

// SQLiteDSN returns the modernc.org/sqlite DSN of the file at path with
// what every ingot store's connection needs: immediate write transactions
// and a 15 s busy timeout, so concurrent writers queue instead of failing,
// and synchronous(NORMAL), safe with WAL and much faster than FULL. pragmas
// are added as given ("foreign_keys(1)"). WAL is not in the DSN: it is a
// property of the file, set once by OpenSQLite (see there why).
func SQLiteDSN(path string, pragmas ...string) string {
	var b strings.Builder
	b.WriteString("file:" + path + "?_txlock=immediate")
	for _, p := range append([]string{fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()), "synchronous(NORMAL)"}, pragmas...) {
		b.WriteString("&_pragma=" + p)
	}
	return b.String()
}

// OpenSQLite opens the SQLite file at path with SQLiteDSN and puts it in
// WAL mode, so readers do not block the writer.
//
// Switching a file to WAL takes an exclusive lock, and SQLite can answer
// SQLITE_BUSY to it at once, without calling the busy handler, when another
// process is opening or converting the same file: two ingot commands
// started together on a fresh inventory would fail with "database is
// locked". So the switch is done here, once per open and retried while the
// file is busy, rather than by every pooled connection. WAL persists in the
// file; connections opened later find it there.
func OpenSQLite(ctx context.Context, path string, pragmas ...string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", SQLiteDSN(path, pragmas...))
	if err != nil {
		return nil, err
	}
	if err := enableWAL(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// enableWAL sets journal_mode=WAL, retrying with growing pauses while the
// file is busy, for up to busyTimeout or until ctx ends.
func enableWAL(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	pause := 5 * time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil {
			// An in-memory database answers "memory" and stays so.
			if mode != "wal" && mode != "memory" {
				return fmt.Errorf("switching to WAL: SQLite kept journal mode %q (is the file on a file system without shared memory?)", mode)
			}
			return nil
		}
		if !isBusy(err) || time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("switching to WAL: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("switching to WAL: %w", context.Cause(ctx))
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// isBusy reports whether err is SQLITE_BUSY or one of its extended codes.
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}
