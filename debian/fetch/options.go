package fetch

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Option configures a Cache.
type Option func(*options)

type options struct {
	client      *http.Client
	parallelism int
	retries     int
	backoff     time.Duration
	progress    io.Writer
	terminal    bool
	log         *slog.Logger
}

func defaultOptions() options {
	return options{
		parallelism: 6,
		retries:     4,
		backoff:     500 * time.Millisecond,
		log:         slog.New(slog.DiscardHandler),
	}
}

// WithHTTPClient sets the HTTP client. Default: a client with dial, TLS
// handshake and response-header timeouts but no overall timeout, so large
// files on slow links still complete.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithParallelism sets how many downloads GetAll runs at once. Default 6.
func WithParallelism(n int) Option { return func(o *options) { o.parallelism = n } }

// WithRetries sets how many times a failed download is retried after the first
// attempt (network errors, 5xx, 408, 429). Default 4.
func WithRetries(n int) Option { return func(o *options) { o.retries = n } }

// WithBackoff sets the base delay between retries; it doubles on each retry,
// with jitter. Default 500ms.
func WithBackoff(base time.Duration) Option { return func(o *options) { o.backoff = base } }

// WithProgress makes GetAll report progress to w: one redrawn line when
// terminal is true, plain lines (one per downloaded file and a summary)
// otherwise. Default: no progress output.
func WithProgress(w io.Writer, terminal bool) Option {
	return func(o *options) { o.progress, o.terminal = w, terminal }
}

// WithLogger sets the logger for debug details (retries, corrupt cache
// entries). Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

func defaultClient(parallelism int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   parallelism + 2,
	}}
}
