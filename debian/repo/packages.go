package repo

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unsafe"

	"github.com/ulikunitz/xz"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
)

// indexFormats are the Packages variants tried, best first.
var indexFormats = []string{".xz", ".gz", ""}

// Packages fetches, verifies and parses <component>/binary-<arch>/Packages
// of suite as listed in rel (Packages.xz, else .gz, else uncompressed: the
// first one rel lists that the mirror serves). Each package's Suite and
// Component are set.
//
// When rel also lists the uncompressed index (Debian's Release files do),
// the decompressed index is verified against that entry and kept in the
// cache too, so a warm run neither downloads nor decompresses anything:
// pure-Go xz decoding of a 9 MB index takes seconds.
func (c *Client) Packages(ctx context.Context, src Source, rel *Release, suite, component, arch string) ([]*debian.Package, error) {
	base := component + "/binary-" + arch + "/Packages"
	dir := src.MirrorFor(suite) + "/dists/" + suite + "/"
	plain, hasPlain := rel.Files[base]
	if hasPlain {
		if _, err := os.Stat(c.cache.Path(plain.SHA256)); err == nil {
			// Get re-verifies the cached copy (and drops it if corrupt).
			path, err := c.cache.Get(ctx, fetch.Item{URL: dir + base, Size: plain.Size, SHA256: plain.SHA256, Name: suite + "/" + base})
			if err == nil {
				return c.readPlainIndex(path, dir+base, plain, suite, component)
			}
			c.o.log.Debug("cached decompressed index unusable", "url", dir+base, "err", err)
		}
	}
	var lastErr error
	var tried []string
	for _, ext := range indexFormats {
		fi, ok := rel.Files[base+ext]
		if !ok {
			continue
		}
		url := dir + base + ext
		path, err := c.getIndex(ctx, rel, dir, base+ext, fi, suite)
		if isNotFound(err) {
			c.o.log.Debug("index listed but not served, trying the next format", "url", url)
			lastErr = err
			tried = append(tried, "Packages"+ext)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("fetching the %s index for %s: %w", base, suite, err)
		}
		var pkgs []*debian.Package
		if hasPlain {
			if ext != "" {
				if path, err = c.expand(path, ext, url, plain); err != nil {
					return nil, err
				}
			}
			pkgs, err = c.readPlainIndex(path, dir+base, plain, suite, component)
		} else {
			pkgs, err = c.parseIndexFile(path, ext, url, suite, component)
		}
		if err != nil {
			return nil, err
		}
		c.o.log.Debug("read index", "url", url, "packages", len(pkgs))
		return pkgs, nil
	}
	if lastErr != nil {
		return nil, fmt.Errorf("fetching the %s index for %s: the mirror serves none of %s: %w", base, suite, strings.Join(tried, ", "), lastErr)
	}
	return nil, fmt.Errorf("suite %s at %s: %w: %s(.xz|.gz) (check the component and architecture)", suite, rel.URL, ErrNotListed, base)
}

// getIndex fetches the index at dir+p into the cache. When the Release
// offers Acquire-By-Hash, the by-hash path is asked first: it cannot change
// while the mirror syncs, so a Release and its indexes always match.
func (c *Client) getIndex(ctx context.Context, rel *Release, dir, p string, fi FileInfo, suite string) (string, error) {
	item := fetch.Item{URL: dir + p, Size: fi.Size, SHA256: fi.SHA256, Name: suite + "/" + p}
	if rel.AcquireByHash {
		byHash := item
		byHash.URL = dir + path.Dir(p) + "/by-hash/SHA256/" + fi.SHA256
		got, err := c.cache.Get(ctx, byHash)
		if !isNotFound(err) {
			return got, err
		}
		c.o.log.Debug("by-hash index not served, using its plain path", "url", byHash.URL)
	}
	return c.cache.Get(ctx, item)
}

// decompressor opens a reader for a compressed index.
func decompressor(r io.Reader, ext string) (io.ReadCloser, error) {
	switch ext {
	case ".xz":
		xr, err := xz.NewReader(bufio.NewReaderSize(r, 64<<10))
		if err != nil {
			return nil, err
		}
		return io.NopCloser(xr), nil
	case ".gz":
		return gzip.NewReader(bufio.NewReaderSize(r, 64<<10))
	}
	return io.NopCloser(r), nil
}

// expand decompresses the verified index at path into the cache, checking
// the result against the Release's entry for the uncompressed index, and
// returns the path of the decompressed copy.
func (c *Client) expand(path, ext, url string, want FileInfo) (string, error) {
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("decompressing %s: %w (the mirror served a damaged index; report it or use another mirror)", url, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	zr, err := decompressor(f, ext)
	if err != nil {
		return fail(err)
	}
	defer zr.Close()
	dst := c.cache.Path(want.SHA256)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("writing the cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("writing the cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(zr, want.Size+1))
	if cerr := tmp.Close(); err == nil && cerr != nil {
		return "", fmt.Errorf("writing the cache: %w", cerr)
	}
	if err != nil {
		return fail(err)
	}
	if n != want.Size {
		return fail(&fetch.SizeError{URL: url + " (decompressed)", Want: want.Size, Got: n})
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fail(&fetch.DigestError{URL: url + " (decompressed)", Want: want.SHA256, Got: got})
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("writing the cache: %w", err)
	}
	return dst, nil
}

// readPlainIndex parses the verified, decompressed index at path, whose
// size and SHA256 the Release lists as want, through the parsed-index
// cache: a warm run decodes the cached parsed form instead of parsing the
// text, and a missing or unusable entry is (re)written after parsing.
func (c *Client) readPlainIndex(path, url string, want FileInfo, suite, component string) ([]*debian.Package, error) {
	if want.Size > c.o.maxIndex {
		return nil, fmt.Errorf("reading %s: %w: %d bytes, the bound is %d", url, ErrIndexTooLarge, want.Size, c.o.maxIndex)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening cached index for %s: %w", url, err)
	}
	data, err := readAll(&boundedReader{r: f, n: c.o.maxIndex}, want.Size)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	if c.o.parsedCache {
		pkgs, err := c.loadParsed(want.SHA256, data, suite, component)
		if err == nil {
			c.o.log.Debug("parsed index from the cache", "url", url, "packages", len(pkgs))
			return pkgs, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			c.o.log.Debug("parsed-index cache entry unusable, parsing the index", "url", url, "err", err)
		}
	}
	pkgs, err := parsePackages(data, suite, component)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	if c.o.parsedCache {
		if err := c.storeParsed(want.SHA256, data, pkgs); err != nil {
			c.o.log.Debug("not caching the parsed index", "url", url, "err", err)
		}
	}
	return pkgs, nil
}

// parseIndexFile decompresses and parses a verified index from the cache.
func (c *Client) parseIndexFile(path, ext, url, suite, component string) ([]*debian.Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening cached index for %s: %w", url, err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil && ext == "" {
		size = st.Size()
	}
	r, err := decompressor(f, ext)
	if err != nil {
		return nil, fmt.Errorf("decompressing %s: %w (the mirror served a damaged index; report it or use another mirror)", url, err)
	}
	defer r.Close()
	data, err := readAll(&boundedReader{r: r, n: c.o.maxIndex}, min(size, c.o.maxIndex))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	pkgs, err := parsePackages(data, suite, component)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	return pkgs, nil
}

// ParsePackages reads a decompressed Packages index, setting Suite and
// Component on each record. The index is read into memory whole: the
// packages' fields are parts of one string rather than a string each.
func ParsePackages(r io.Reader, suite, component string) ([]*debian.Package, error) {
	data, err := readAll(r, 0)
	if err != nil {
		return nil, err
	}
	return parsePackages(data, suite, component)
}

// readAll reads r into one string, sized for size bytes first. The
// buffer becomes the string without a copy (unsafe.String): nothing else
// holds it, and a 50 MB copy per index is a tenth of a warm read.
func readAll(r io.Reader, size int64) (string, error) {
	b := make([]byte, 0, size+1) // +1: EOF is seen without growing
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading the index: %w", err)
		}
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil
}

// ErrIndexTooLarge: a decompressed index exceeds the client's bound.
var ErrIndexTooLarge = errors.New("decompressed index too large")

// boundedReader fails, rather than truncating silently, once more than n
// bytes are read.
type boundedReader struct {
	r io.Reader
	n int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n < 0 {
		return 0, ErrIndexTooLarge
	}
	if int64(len(p)) > b.n+1 {
		p = p[:b.n+1]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	if b.n < 0 {
		return n, ErrIndexTooLarge
	}
	return n, err
}
