package datadir

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite"
)

func TestPath(t *testing.T) {
	for _, tc := range []struct {
		name, own, data, xdg, home, want string
		wantErr                          bool
	}{
		{name: "own variable wins", own: "postgres://x/y", data: "/d", xdg: "/x", home: "/h", want: "postgres://x/y"},
		{name: "data dir", data: "/d", xdg: "/x", home: "/h", want: "/d/s.db"},
		{name: "XDG", xdg: "/x", home: "/h", want: "/x/ingot/s.db"},
		{name: "home", home: "/h", want: "/h/.local/share/ingot/s.db"},
		{name: "nothing", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("INGOT_TEST_OWN_DB", tc.own)
			t.Setenv(EnvDataDir, tc.data)
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := Path("INGOT_TEST_OWN_DB", "s.db")
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("Path() = %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestOpenSQLite opens a real SQLite file and reads the pragmas back.
func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "a.db"), "foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "synchronous": "1", "busy_timeout": "15000", "foreign_keys": "1",
	} {
		t.Run(pragma, func(t *testing.T) {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		})
	}
}

// TestOpenSQLiteTogether opens one fresh file from several handles at once,
// as two ingot commands started together on a new inventory do. With WAL
// set by every connection's DSN, such opens failed with SQLITE_BUSY, which
// SQLite can return to a journal-mode switch without waiting.
func TestOpenSQLiteTogether(t *testing.T) {
	ctx := context.Background()
	for round := range 30 {
		path := filepath.Join(t.TempDir(), "together.db")
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				db, err := OpenSQLite(ctx, path)
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				_, errs[i] = db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS t (x INTEGER)")
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, handle %d: %v", round, i, err)
			}
		}
	}
}
