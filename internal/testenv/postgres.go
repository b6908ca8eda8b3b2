package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
)

// StartPostgres starts a private PostgreSQL cluster (Debian's postgresql
// package) on 127.0.0.1:<free port> with its data and socket in a temporary
// directory, creates the database "ingot" and returns its URL
// ("postgres://postgres@127.0.0.1:PORT/ingot?sslmode=disable"). The cluster
// is stopped and removed when t ends. As root the server runs as the
// postgres user. Each call starts a new cluster (a few seconds): share one
// per package and create databases in it when tests need several.
// Skips t if PostgreSQL is not installed.
func StartPostgres(t testing.TB) (dsn string) {
	t.Helper()
	bin := postgresBin()
	if bin == "" {
		Unmet(t, "test needs PostgreSQL (initdb, pg_ctl; run scripts/install-test-deps.sh)")
		return ""
	}
	var cred *syscall.Credential
	var uid, gid = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			Unmet(t, "test runs as root and needs the postgres user to run PostgreSQL: %v", err)
			return ""
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Not t.TempDir: its parents are 0700 root, which the postgres user cannot enter.
	dir, err := os.MkdirTemp("", "ingot-postgres-")
	if err != nil {
		t.Fatalf("creating PostgreSQL's directory: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatalf("giving %s to postgres: %v", dir, err)
		}
	}
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %v: %w\n%s", name, args, err, tail(out, 4000))
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"); err != nil {
		t.Fatalf("creating a PostgreSQL cluster: %v", err)
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100", port, dir)
		lastErr = run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "postgres.log"), "-o", opts, "-w", "-t", "60", "start")
		if lastErr != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			lastErr = fmt.Errorf("%w\nlog:\n%s", lastErr, tail(log, 2000))
			continue
		}
		t.Cleanup(func() { _ = run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop") })
		if err := run("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", "postgres", "ingot"); err != nil {
			t.Fatalf("creating the test database: %v", err)
		}
		return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/ingot?sslmode=disable", port)
	}
	t.Fatalf("starting PostgreSQL: %v", lastErr)
	return ""
}

// postgresBin returns the directory of the newest installed PostgreSQL's
// programs, "" if none is installed.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p)
		}
	}
	return ""
}
