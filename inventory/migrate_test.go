package inventory

import (
	"sync"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func testMigrate(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" && pgDSN == "" {
				pgDSN = testenv.StartPostgres(pgT)
			}
			ms, err := migrations(b.name)
			if err != nil || len(ms) == 0 {
				t.Fatalf("migrations(%s) = %d, %v", b.name, len(ms), err)
			}
			loc := b.open(t)
			// Several processes starting at once: every Open succeeds and
			// each migration is applied once.
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() {
					s, err := Open(t.Context(), loc)
					if err == nil {
						s.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("concurrent Open %d: %v", i, err)
				}
			}
			s, err := Open(t.Context(), loc)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			v, err := s.SchemaVersion(t.Context())
			if err != nil || v != ms[len(ms)-1].version {
				t.Errorf("SchemaVersion = %d, %v; want %d", v, err, ms[len(ms)-1].version)
			}
			var n int
			if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(ms) {
				t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, len(ms))
			}
			if err := s.Migrate(t.Context()); err != nil {
				t.Errorf("Migrate on a migrated store: %v", err)
			}
		})
	}
	t.Run("without-migrate", func(t *testing.T) {
		s, err := Open(t.Context(), backends()[0].open(t), WithoutMigrate())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.WhoHas(t.Context(), Query{Name: "x"}); err == nil {
			t.Error("WhoHas on an unmigrated store succeeded")
		}
	})
}

func TestMigrationFiles(t *testing.T) {
	sq, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(sq) != len(pg) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL: every migration needs both", len(sq), len(pg))
	}
	for i := range sq {
		if sq[i].version != pg[i].version || sq[i].name != pg[i].name {
			t.Errorf("migration %d: SQLite %s, PostgreSQL %s", i, sq[i].name, pg[i].name)
		}
		if sq[i].version != i+1 {
			t.Errorf("migration %s has version %d, want %d", sq[i].name, sq[i].version, i+1)
		}
	}
}

func TestDefaultLocation(t *testing.T) {
	for _, tc := range []struct {
		name, db, data, xdg, home, want string
	}{
		{"INGOT_DB wins", "postgres://x/y", "/d", "/x", "/h", "postgres://x/y"},
		{"data dir", "", "/d", "/x", "/h", "/d/inventory.db"},
		{"XDG", "", "", "/x", "/h", "/x/ingot/inventory.db"},
		{"home", "", "", "", "/h", "/h/.local/share/ingot/inventory.db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvDB, tc.db)
			t.Setenv(EnvDataDir, tc.data)
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := DefaultLocation()
			if err != nil || got != tc.want {
				t.Errorf("DefaultLocation() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db": "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db":             "postgres://u@h/db",
		"/var/lib/x.db":                 "/var/lib/x.db",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRebind(t *testing.T) {
	if got := (postgres{}).rebind("a = ? AND b IN (?, ?)"); got != "a = $1 AND b IN ($2, $3)" {
		t.Errorf("rebind = %q", got)
	}
	if got := placeholders(2, 3); got != "(?, ?, ?), (?, ?, ?)" {
		t.Errorf("placeholders(2, 3) = %q", got)
	}
}
