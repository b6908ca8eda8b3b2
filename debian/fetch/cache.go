package fetch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Cache is a content-addressed download cache. It is safe for concurrent use,
// and several processes may share one directory.
type Cache struct {
	dir string
	o   options

	mu    sync.Mutex
	locks map[string]*keyLock // per-SHA256 locks so one process downloads a file once

	active   *progress // shared by standalone Gets in flight
	inflight int
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// DefaultDir returns $INGOT_CACHE_DIR, else the user's cache directory + "/ingot".
func DefaultDir() (string, error) {
	if d := os.Getenv("INGOT_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache directory: %w (set INGOT_CACHE_DIR)", err)
	}
	return filepath.Join(d, "ingot"), nil
}

// New opens (creating if needed) a cache in dir.
func New(dir string, opts ...Option) (*Cache, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.parallelism < 1 {
		return nil, fmt.Errorf("fetch parallelism %d: must be at least 1", o.parallelism)
	}
	if o.retries < 0 {
		return nil, fmt.Errorf("fetch retries %d: must not be negative", o.retries)
	}
	if o.client == nil {
		o.client = defaultClient(o.parallelism)
	}
	if dir == "" {
		return nil, fmt.Errorf("opening the download cache: empty directory (set INGOT_CACHE_DIR)")
	}
	for _, sub := range []string{"sha256", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("creating the download cache: %w (set INGOT_CACHE_DIR to a writable directory)", err)
		}
	}
	c := &Cache{dir: dir, o: o, locks: map[string]*keyLock{}}
	c.sweep()
	return c, nil
}

// StaleTemp is the age after which a temporary file in the cache is taken
// as left behind by a process that died mid-download (or mid-write):
// younger ones may belong to another process at work right now.
const StaleTemp = 24 * time.Hour

// tmpDir holds downloads in progress; it is on the same file system as the
// entries, so the final rename is atomic.
func (c *Cache) tmpDir() string { return filepath.Join(c.dir, "tmp") }

// sweep removes stale temporary files. Fresh ones may belong to another
// process downloading right now and are left alone.
func (c *Cache) sweep() {
	entries, err := os.ReadDir(c.tmpDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && time.Since(info.ModTime()) > StaleTemp {
			c.o.log.Debug("removing stale temporary file", "path", filepath.Join(c.tmpDir(), e.Name()))
			os.Remove(filepath.Join(c.tmpDir(), e.Name()))
		}
	}
}

// Dir is the cache's root directory.
func (c *Cache) Dir() string { return c.dir }

// Path is where the file with this SHA256 is (or would be) stored:
// dir/sha256/ab/abcdef....
func (c *Cache) Path(sha256 string) string {
	s := strings.ToLower(sha256)
	prefix := "xx"
	if len(s) >= 2 {
		prefix = s[:2]
	}
	return filepath.Join(c.dir, "sha256", prefix, s)
}

// lock serialises work on one key within this process and returns the unlock.
func (c *Cache) lock(key string) func() {
	c.mu.Lock()
	l := c.locks[key]
	if l == nil {
		l = &keyLock{}
		c.locks[key] = l
	}
	l.refs++
	c.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		c.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(c.locks, key)
		}
		c.mu.Unlock()
	}
}
