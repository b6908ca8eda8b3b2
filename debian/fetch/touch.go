package fetch

import (
	"os"
	"time"
)

// TouchAfter is how stale an entry's last-use time may be before a cache
// hit records it again: a hit on an entry used within the hour writes
// nothing, so a warm build does not rewrite thousands of inodes.
const TouchAfter = time.Hour

// Touch records that the cache entry at path (a file, or a directory
// holding one entry) was just used, by setting its modification time to
// now, so that pruning by last use ("ingot cache prune") keeps entries in
// use. It is best effort and silent: a missing entry, a symlink or a
// read-only cache only mean the entry looks older than it is. Nothing but
// pruning reads these times; no cached bytes depend on them.
func Touch(path string) { touchAt(path, time.Now()) }

// touchAt is Touch at a given time.
func touchAt(path string, now time.Time) {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&os.ModeSymlink != 0 || now.Sub(st.ModTime()) < TouchAfter {
		return
	}
	os.Chtimes(path, now, now) // best effort: see Touch
}
