package fetch

import (
	"context"
	"fmt"
	"io"
)

// Fetch downloads a small file that cannot be verified by digest beforehand
// (InRelease), with the same retries as Get, and returns its bytes. It is not
// cached. A response larger than max bytes is an error matching ErrTooLarge.
func (c *Cache) Fetch(ctx context.Context, url string, max int64) ([]byte, error) {
	var data []byte
	err := c.retry(ctx, url, func(ctx context.Context) error {
		resp, err := c.send(ctx, url)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.ContentLength > max {
			return fmt.Errorf("%s is %d bytes, more than the %d allowed: %w", url, resp.ContentLength, max, ErrTooLarge)
		}
		data, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
		if err != nil {
			return fmt.Errorf("reading the response body: %w", err)
		}
		if int64(len(data)) > max {
			return fmt.Errorf("%s is more than the %d bytes allowed: %w", url, max, ErrTooLarge)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}
