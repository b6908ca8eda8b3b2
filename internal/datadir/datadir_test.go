package datadir

import (
	"context"
	"database/sql"
	"path/filepath"
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

// TestSQLiteDSN opens a real SQLite file with the DSN and reads the pragmas
// back.
func TestSQLiteDSN(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", SQLiteDSN(filepath.Join(t.TempDir(), "a.db"), "foreign_keys(1)"))
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
