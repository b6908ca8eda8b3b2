package inventory

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect holds the few differences between SQLite and PostgreSQL; the
// queries themselves are written once, with ? placeholders.
type dialect interface {
	name() string
	// rebind turns ? placeholders into the dialect's.
	rebind(query string) string
	// retryable reports whether a failed transaction may be run again.
	retryable(err error) bool
	// lockMigrations serialises migrations between processes, inside tx.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
}

type sqlite struct{}

func (sqlite) name() string           { return "sqlite" }
func (sqlite) rebind(q string) string { return q }

func (sqlite) retryable(err error) bool {
	var e interface{ Code() int }
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
			return true
		}
	}
	return false
}

// lockMigrations needs nothing: transactions are BEGIN IMMEDIATE (see
// datadir.SQLiteDSN), so the first one holds the write lock.
func (sqlite) lockMigrations(context.Context, *sql.Tx) error { return nil }

type postgres struct{}

func (postgres) name() string { return "postgres" }

func (postgres) rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (postgres) retryable(err error) bool {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		switch e.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return true
		}
	}
	return false
}

// migrationLockKey is the advisory lock that serialises migrations.
const migrationLockKey = 0x696e676f74 // "ingot"

func (postgres) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLockKey))
	return err
}

// maxAttempts bounds the retries of a write transaction.
const maxAttempts = 8

// write runs f in a transaction, retrying it when the database reports a
// conflict with another writer.
func (s *Store) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.tryWrite(ctx, f)
		if err == nil || !s.d.retryable(err) || attempt == maxAttempts {
			return err
		}
		s.log.DebugContext(ctx, "retrying inventory write", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt*attempt) * 10 * time.Millisecond):
		}
	}
}

func (s *Store) tryWrite(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
