package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// maxRetryAfter bounds how long a server's Retry-After can make us wait.
const maxRetryAfter = 60 * time.Second

// retryAfterError carries a server's Retry-After hint alongside its status.
type retryAfterError struct {
	*StatusError
	after time.Duration
}

func (e *retryAfterError) Unwrap() error { return e.StatusError }

// retry runs attempt until it succeeds, fails permanently, or retries run out.
// The returned error names the URL and what to check.
func (c *Cache) retry(ctx context.Context, url string, attempt func(ctx context.Context) error) error {
	var err error
	tries := c.o.retries + 1
	for i := range tries {
		if err = attempt(ctx); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("fetching %s: %w", url, ctx.Err())
		}
		if !retryable(err) {
			return permanent(url, err)
		}
		if i == tries-1 {
			break
		}
		wait := c.backoff(i)
		var ra *retryAfterError
		if errors.As(err, &ra) && ra.after > wait {
			wait = min(ra.after, maxRetryAfter)
		}
		c.o.log.Debug("retrying download", "url", url, "attempt", i+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("fetching %s: %w", url, ctx.Err())
		case <-t.C:
		}
	}
	return fmt.Errorf("fetching %s: giving up after %d attempts: %w (is the mirror reachable? set INGOT_MIRROR to another mirror)", url, tries, err)
}

func permanent(url string, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return fmt.Errorf("fetching %s: %w (is the URL right for this mirror? if the index is old, re-run `ingot lock --update`; or set INGOT_MIRROR to another mirror)", url, err)
	}
	return fmt.Errorf("fetching %s: %w", url, err)
}

// backoff is base·2^i with ±50% jitter.
func (c *Cache) backoff(i int) time.Duration {
	d := c.o.backoff << min(i, 16)
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d)
}

func retryable(err error) bool {
	var se *StatusError
	switch {
	case errors.As(err, &se):
		return se.retryable()
	case errors.Is(err, ErrDigestMismatch), errors.Is(err, ErrSizeMismatch), errors.Is(err, ErrTooLarge):
		return false
	}
	var le *localError
	if errors.As(err, &le) {
		return false
	}
	return true // network and transfer errors
}

// localError marks failures of the local file system, which retrying does not fix.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

func localErr(op string, err error) error {
	return &localError{fmt.Errorf("%s: %w", op, err)}
}

// statusErr builds the error for a non-200 response.
func statusErr(url string, resp *http.Response) error {
	se := &StatusError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status}
	if se.retryable() {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			return &retryAfterError{StatusError: se, after: d}
		}
	}
	return se
}

func parseRetryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}
