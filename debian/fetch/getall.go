package fetch

import (
	"context"
	"errors"
	"sync"
)

// GetAll gets every item, WithParallelism at a time, reporting progress if
// configured. Paths are returned in the order of items. Every failure is
// reported (joined with errors.Join); on error the returned slice holds the
// paths that did succeed and "" for the others.
func (c *Cache) GetAll(ctx context.Context, items []Item) ([]string, error) {
	paths := make([]string, len(items))
	errs := make([]error, len(items))
	p := newProgress(c.o.progress, c.o.terminal, items)
	defer p.finish()

	work := make(chan int)
	var wg sync.WaitGroup
	for range min(c.o.parallelism, len(items)) {
		wg.Go(func() {
			for i := range work {
				paths[i], errs[i] = c.get(ctx, items[i], p)
				if errs[i] != nil {
					p.failed(items[i])
				}
			}
		})
	}
feed:
	for i := range items {
		select {
		case work <- i:
		case <-ctx.Done():
			for j := i; j < len(items); j++ {
				errs[j] = ctx.Err()
			}
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := joinDistinct(errs); err != nil {
		return paths, err
	}
	return paths, nil
}

// joinDistinct joins errors, reporting a repeated context error only once.
func joinDistinct(errs []error) error {
	var out []error
	sawCtx := false
	for _, err := range errs {
		if err == nil {
			continue
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			if sawCtx {
				continue
			}
			sawCtx = true
		}
		out = append(out, err)
	}
	return errors.Join(out...)
}
