package repo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
)

// parsedDir holds the parsed-index cache inside the download cache; the
// versions in its name keep the entries of other ingot versions apart.
var parsedDir = filepath.Join("parsed", "v"+strconv.Itoa(parsedFormat)+"."+strconv.Itoa(parserVersion))

// ParsedCacheDir is the directory, relative to the download cache's root,
// that holds this ingot's parsed-index cache entries, e.g. "parsed/v3.1".
// The other directories under "parsed" belong to other encodings or parser
// versions: this ingot never reads them, so they may be removed.
func ParsedCacheDir() string { return parsedDir }

// parsedPath is where the parsed form of the index with SHA256 sum lives.
func (c *Client) parsedPath(sum string) string {
	return filepath.Join(c.cache.Dir(), parsedDir, sum[:2], sum)
}

// maxParsedSize bounds an entry for an index of n bytes: its extra strings
// are at most the index again, its references a few bytes per field.
func maxParsedSize(n int) int64 { return int64(parsedHeaderSize) + 8*int64(n) + 1<<20 }

// loadParsed reads the cached parsed form of data, the verified index
// with SHA256 sum. The error wraps fs.ErrNotExist when there is none and
// errParsedCorrupt when the entry is damaged, truncated, or describes
// another index or parser. A hit records the entry's last use.
func (c *Client) loadParsed(sum, data, suite, component string) ([]*debian.Package, error) {
	path := c.parsedPath(sum)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxParsedSize(len(data)) {
		return nil, fmt.Errorf("%w: %d bytes, more than an index of %d bytes needs", errParsedCorrupt, st.Size(), len(data))
	}
	entry := make([]byte, st.Size())
	if _, err := io.ReadFull(f, entry); err != nil {
		return nil, fmt.Errorf("%w: %w", errParsedCorrupt, err)
	}
	payload, err := checkParsedHeader(entry, sum, len(data))
	if err != nil {
		return nil, err
	}
	pkgs, err := decodeParsed(payload, data, suite, component)
	if err != nil {
		return nil, err
	}
	fetch.Touch(path)
	return pkgs, nil
}

// storeParsed caches the parsed form of data. The entry is written to a
// temporary file and renamed into place, so readers, and other processes
// storing the same entry, only ever see a whole entry.
func (c *Client) storeParsed(sum, data string, pkgs []*debian.Package) error {
	entry, err := encodeParsed(sum, data, pkgs)
	if err != nil {
		return err
	}
	if int64(len(entry)) > maxParsedSize(len(data)) {
		return fmt.Errorf("parsed index of %d bytes is larger than its bound", len(entry))
	}
	path := c.parsedPath(sum)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	_, err = tmp.Write(entry)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
