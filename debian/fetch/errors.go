package fetch

import (
	"errors"
	"fmt"
	"net/http"
)

var (
	// ErrDigestMismatch: a downloaded or cached file's SHA256 is not the expected one.
	ErrDigestMismatch = errors.New("sha256 mismatch")
	// ErrSizeMismatch: a downloaded or cached file's size is not the expected one.
	ErrSizeMismatch = errors.New("size mismatch")
	// ErrTooLarge: a Fetch response exceeds its size bound.
	ErrTooLarge = errors.New("response too large")
)

// DigestError reports a file whose SHA256 differs from the expected one.
// It matches ErrDigestMismatch with errors.Is.
type DigestError struct {
	URL  string
	Want string
	Got  string
}

func (e *DigestError) Error() string {
	return fmt.Sprintf("%s: sha256 is %s, want %s (the mirror may be mid-sync or the index stale: retry later, or re-run `ingot lock --update`)", e.URL, e.Got, e.Want)
}

func (e *DigestError) Unwrap() error { return ErrDigestMismatch }

// SizeError reports a file whose size differs from the expected one.
// It matches ErrSizeMismatch with errors.Is.
type SizeError struct {
	URL  string
	Want int64
	Got  int64 // bytes read; may stop just past Want
}

func (e *SizeError) Error() string {
	if e.Got > e.Want {
		return fmt.Sprintf("%s: larger than the expected %d bytes (the mirror may be mid-sync or the index stale: retry later, or re-run `ingot lock --update`)", e.URL, e.Want)
	}
	return fmt.Sprintf("%s: %d bytes, want %d (the mirror may be mid-sync or the index stale: retry later, or re-run `ingot lock --update`)", e.URL, e.Got, e.Want)
}

func (e *SizeError) Unwrap() error { return ErrSizeMismatch }

// StatusError is an HTTP response with a non-200 status.
type StatusError struct {
	URL        string
	StatusCode int
	Status     string
}

func (e *StatusError) Error() string { return fmt.Sprintf("GET %s: %s", e.URL, e.Status) }

// retryable reports whether a request that got this status may succeed later.
func (e *StatusError) retryable() bool {
	return e.StatusCode >= 500 || e.StatusCode == http.StatusRequestTimeout || e.StatusCode == http.StatusTooManyRequests
}
