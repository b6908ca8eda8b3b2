package feed

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Environment variables naming the feeds' locations; ingot has no built-in
// default.
const (
	EnvOSVURL           = "INGOT_OSV_URL"
	EnvDebianTrackerURL = "INGOT_DEBIAN_TRACKER_URL"
)

// MaxDownload bounds one downloaded feed file.
const MaxDownload = 4 << 30

// DefaultEcosystems are the OSV ecosystems Sync downloads by default.
var DefaultEcosystems = []string{"Debian", "Go", "npm", "PyPI"}

// Remote says where Sync downloads feeds from. Empty fields are not synced.
type Remote struct {
	// OSV is the base URL of the OSV project's per-ecosystem archives:
	// Sync downloads OSV + "/" + ecosystem + "/all.zip".
	OSV string
	// Ecosystems are the OSV ecosystems to download; nil means
	// DefaultEcosystems.
	Ecosystems []string
	// DebianTracker is the URL of the Debian security tracker's JSON
	// (its /tracker/data/json).
	DebianTracker string
}

// RemoteFromEnv returns the Remote that INGOT_OSV_URL and
// INGOT_DEBIAN_TRACKER_URL name.
func RemoteFromEnv() Remote {
	return Remote{OSV: os.Getenv(EnvOSVURL), DebianTracker: os.Getenv(EnvDebianTrackerURL)}
}

// Synced is what Sync did with one URL.
type Synced struct {
	URL   string `json:"url"`
	Bytes int64  `json:"bytes"`
	Stats Stats  `json:"stats"`
}

// SyncOption configures Sync.
type SyncOption func(*syncOptions)

type syncOptions struct {
	client   *http.Client
	progress func(url string, bytes int64)
}

// WithHTTPClient sets the client Sync downloads with. Default: a client with
// the environment's proxy settings and a 30-minute overall timeout.
func WithHTTPClient(c *http.Client) SyncOption { return func(o *syncOptions) { o.client = c } }

// WithDownloadProgress calls f as each download proceeds, with the URL and
// the bytes read so far. Default: no callback.
func WithDownloadProgress(f func(url string, bytes int64)) SyncOption {
	return func(o *syncOptions) { o.progress = f }
}

// ErrNoRemote is returned by Sync when r names no feed.
var ErrNoRemote = fmt.Errorf("no feed location configured (set %s and/or %s, or pass --osv-url / --debian-tracker-url)", EnvOSVURL, EnvDebianTrackerURL)

// Sync downloads the feeds r names and imports each (see Import). It stops
// at the first download that fails, keeping what was imported before it.
func (s *Store) Sync(ctx context.Context, r Remote, opts ...SyncOption) ([]Synced, error) {
	o := syncOptions{client: &http.Client{Timeout: 30 * time.Minute}}
	for _, opt := range opts {
		opt(&o)
	}
	var urls []string
	if r.OSV != "" {
		ecos := r.Ecosystems
		if ecos == nil {
			ecos = DefaultEcosystems
		}
		for _, e := range ecos {
			urls = append(urls, strings.TrimRight(r.OSV, "/")+"/"+url.PathEscape(e)+"/all.zip")
		}
	}
	if r.DebianTracker != "" {
		urls = append(urls, r.DebianTracker)
	}
	if len(urls) == 0 {
		return nil, ErrNoRemote
	}
	var out []Synced
	for _, u := range urls {
		done, err := s.syncOne(ctx, o, u)
		if err != nil {
			return out, err
		}
		out = append(out, done)
	}
	return out, nil
}

func (s *Store) syncOne(ctx context.Context, o syncOptions, u string) (Synced, error) {
	env := EnvOSVURL
	if !strings.HasSuffix(u, "/all.zip") {
		env = EnvDebianTrackerURL
	}
	advice := fmt.Sprintf("(is it reachable from here? set %s to a reachable copy, or download the file elsewhere and run `ingot feed import FILE`)", env)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Synced{}, fmt.Errorf("downloading feed %s: %w (check %s)", u, err, env)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return Synced{}, fmt.Errorf("downloading feed %s: %w %s", u, err, advice)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Synced{}, fmt.Errorf("downloading feed %s: %s %s", u, resp.Status, advice)
	}
	ext := ".json"
	if strings.HasSuffix(u, ".zip") {
		ext = ".zip"
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), "feed-*"+ext)
	if err != nil {
		return Synced{}, fmt.Errorf("downloading feed %s: %w", u, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	var w io.Writer = tmp
	if o.progress != nil {
		w = &progressWriter{w: tmp, f: func(n int64) { o.progress(u, n) }}
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, MaxDownload+1))
	if err != nil {
		return Synced{}, fmt.Errorf("downloading feed %s: %w %s", u, err, advice)
	}
	if n > MaxDownload {
		return Synced{}, fmt.Errorf("downloading feed %s: larger than %d bytes; is the URL right? (check %s)", u, int64(MaxDownload), env)
	}
	if err := tmp.Close(); err != nil {
		return Synced{}, fmt.Errorf("downloading feed %s: %w", u, err)
	}
	st, err := s.Import(ctx, tmp.Name(), WithOrigin(u))
	if err != nil {
		return Synced{URL: u, Bytes: n, Stats: st}, fmt.Errorf("importing feed %s: %w", u, err)
	}
	return Synced{URL: u, Bytes: n, Stats: st}, nil
}

type progressWriter struct {
	w    io.Writer
	n    int64
	last int64
	f    func(int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	if p.n-p.last >= 1<<20 {
		p.last = p.n
		p.f(p.n)
	}
	return n, err
}
