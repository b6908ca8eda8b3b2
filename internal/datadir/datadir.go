// Package datadir places ingot's local SQLite stores (the inventory's SQLite
// file, the feed store, the VEX decisions) and opens them alike: where a
// store lives when no path is given, and the DSN every store's SQLite
// connection uses. It is not for the download cache (fetch.DefaultDir),
// which can be thrown away, nor for PostgreSQL inventories.
package datadir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// SQLiteDSN returns the modernc.org/sqlite DSN of the file at path with
// what every ingot store needs: immediate write transactions and a 15 s
// busy timeout, so concurrent writers queue instead of failing, WAL so
// readers do not block the writer, and synchronous(NORMAL), safe with WAL
// and much faster than FULL. pragmas are added as given ("foreign_keys(1)").
func SQLiteDSN(path string, pragmas ...string) string {
	var b strings.Builder
	b.WriteString("file:" + path + "?_txlock=immediate")
	for _, p := range append([]string{"busy_timeout(15000)", "journal_mode(WAL)", "synchronous(NORMAL)"}, pragmas...) {
		b.WriteString("&_pragma=" + p)
	}
	return b.String()
}
