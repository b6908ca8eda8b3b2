package repo

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/debtest"
)

// newTestClient returns a client on a fresh cache with fast retries (two
// retries, 1ms backoff) and the given options.
func newTestClient(t *testing.T, opts ...Option) (*Client, *fetch.Cache) {
	t.Helper()
	cache, err := fetch.New(t.TempDir(), fetch.WithRetries(2), fetch.WithBackoff(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return New(cache, opts...), cache
}

// sourceFor is a Source using r for every suite, trusting r's key.
func sourceFor(t *testing.T, r *debtest.Repo, suites ...string) Source {
	return Source{Mirror: r.URL(), Suites: suites, Keyring: r.Key().KeyringFile(t)}
}

// cachedFiles lists every file under the cache directory.
func cachedFiles(t *testing.T, cache *fetch.Cache) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(cache.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

var osStat = os.Stat
