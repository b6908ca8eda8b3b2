package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/ingot-dev/ingot/internal/version"
)

// MaxUnknownSize bounds the download of an Item whose Size is unknown (-1).
const MaxUnknownSize = 1 << 30

// Item is one file to download.
type Item struct {
	URL    string
	Size   int64  // expected size in bytes; -1 if unknown (then at most MaxUnknownSize)
	SHA256 string // expected digest, 64 hex digits; required
	Name   string // shown in progress lines and errors, e.g. "libc6 2.36-9+deb12u10 (amd64)"
}

func (it Item) label() string {
	if it.Name != "" {
		return it.Name
	}
	return it.URL
}

// Get returns the path of the cached file for it, downloading and verifying
// it first if it is not cached (or its cached copy is corrupt). With
// WithProgress, downloads (not cache hits) are reported; concurrent Gets
// share one progress line.
func (c *Cache) Get(ctx context.Context, it Item) (string, error) {
	return c.get(ctx, it, nil)
}

// get is Get reporting to p, or, if p is nil, to the cache's shared
// progress for standalone Gets.
func (c *Cache) get(ctx context.Context, it Item, p *progress) (string, error) {
	sum := strings.ToLower(it.SHA256)
	if !ValidSHA256(sum) {
		return "", fmt.Errorf("fetching %s: expected SHA256 %q is not 64 hex digits (the index or lock file is damaged; regenerate it)", it.label(), it.SHA256)
	}
	unlock := c.lock(sum)
	defer unlock()

	path := c.Path(sum)
	// Recording the use before verifying makes a concurrent prune, which
	// checks an entry's last use again just before removing it, keep it;
	// one that removed it meanwhile makes this a miss.
	Touch(path)
	ok, err := c.verifyCached(path, it.Size, sum)
	if err != nil {
		return "", err
	}
	if ok {
		if _, err := os.Lstat(path); err == nil {
			p.cached(it)
			return path, nil
		}
	}
	alone := p == nil
	if alone {
		var done func()
		p, done = c.standalone(it)
		defer done()
	}
	err = c.retry(ctx, it.URL, func(ctx context.Context) error {
		return c.download(ctx, it, sum, path, p)
	})
	if err != nil {
		if alone {
			p.failed(it)
		}
		return "", fmt.Errorf("downloading %s: %w", it.label(), err)
	}
	p.done(it)
	return path, nil
}

// verifyCached reports whether path holds the expected bytes. A corrupt entry
// is removed.
func (c *Cache) verifyCached(path string, size int64, sum string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading cached %s: %w (check permissions, or set INGOT_CACHE_DIR)", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("reading cached %s: %w", path, err)
	}
	good := size < 0 || st.Size() == size
	if good {
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return false, fmt.Errorf("reading cached %s: %w (delete it, or set INGOT_CACHE_DIR)", path, err)
		}
		good = hex.EncodeToString(h.Sum(nil)) == sum
	}
	if good {
		return true, nil
	}
	c.o.log.Debug("removing corrupt cache entry", "path", path, "size", st.Size(), "want_size", size)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("removing corrupt cache entry %s: %w (delete it by hand)", path, err)
	}
	return false, nil
}

// download makes one attempt: GET into a temp file, verify, rename into place.
func (c *Cache) download(ctx context.Context, it Item, sum, path string, p *progress) (err error) {
	resp, err := c.send(ctx, it.URL)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if it.Size >= 0 && resp.ContentLength >= 0 && resp.ContentLength != it.Size {
		return &SizeError{URL: it.URL, Want: it.Size, Got: resp.ContentLength}
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return localErr("creating cache directory", err)
	}
	tmp, err := os.CreateTemp(c.tmpDir(), sum[:12]+"-*")
	if err != nil {
		return localErr("creating a temporary file in the cache", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	h := sha256.New()
	limit := it.Size
	if limit < 0 {
		limit = MaxUnknownSize
	}
	body := io.LimitReader(resp.Body, limit+1) // one byte past is enough to tell it is too long
	n, err := io.Copy(&sink{f: tmp, h: h, p: p}, body)
	if err != nil {
		var le *localError
		if errors.As(err, &le) {
			return err
		}
		return fmt.Errorf("reading the response body: %w", err)
	}
	if it.Size >= 0 && n != it.Size {
		return &SizeError{URL: it.URL, Want: it.Size, Got: n}
	}
	if n > limit {
		return fmt.Errorf("%s is more than %d bytes: %w", it.URL, limit, ErrTooLarge)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return &DigestError{URL: it.URL, Want: sum, Got: got}
	}
	if err := tmp.Chmod(0o644); err != nil {
		return localErr("writing the cache", err)
	}
	if err := tmp.Close(); err != nil {
		return localErr("writing the cache", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return localErr("writing the cache", err)
	}
	return nil
}

// send issues a GET and returns a 200 response, or an error.
func (c *Cache) send(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", url, &localError{err})
	}
	req.Header.Set("User-Agent", "ingot/"+version.String())
	resp, err := c.o.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, statusErr(url, resp)
	}
	return resp, nil
}

// sink writes to the temp file and the hash and counts progress.
type sink struct {
	f *os.File
	h hash.Hash
	p *progress
}

func (s *sink) Write(b []byte) (int, error) {
	n, err := s.f.Write(b)
	s.h.Write(b[:n])
	s.p.add(int64(n))
	if err != nil {
		return n, localErr("writing the cache", err)
	}
	return n, nil
}
