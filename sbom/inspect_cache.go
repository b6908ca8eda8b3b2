package sbom

import (
	"context"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// LayerCache keeps what FromImage found in base layers, by diffID, so that
// inspecting a fleet of images built on one base reads the base's layers
// once rather than once per image (a fleet rebase composes every rebased
// image's SBOM from the app's old one). Only layers the image's lineage
// marks as base layers are kept: they are few and shared, while app layers
// are many and each read once. An entry holds every path of its layer (for
// whiteout and replacement semantics) and what the scanners found, not file
// contents. Failed reads are not kept. It is safe for concurrent use.
type LayerCache struct {
	mu sync.Mutex
	m  map[string]*cachedLayer
}

type cachedLayer struct {
	once sync.Once
	scan *layerScan
	err  error
}

// NewLayerCache returns an empty LayerCache.
func NewLayerCache() *LayerCache { return &LayerCache{m: map[string]*cachedLayer{}} }

// WithLayerCache makes FromImage reuse, and keep in c, what it finds in the
// image's base layers (see LayerCache). Default: none.
func WithLayerCache(c *LayerCache) Option { return func(o *inspectOptions) { o.layers = c } }

// Len is the number of layers c holds.
func (c *LayerCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.m {
		if e.scan != nil {
			n++
		}
	}
	return n
}

// scan returns layer i's scan from c, reading it (once, for concurrent
// callers) when c does not have it.
func (c *LayerCache) scan(ctx context.Context, o *overlay, i int, l v1.Layer, diffID string) (*layerScan, error) {
	c.mu.Lock()
	e := c.m[diffID]
	if e == nil {
		e = &cachedLayer{}
		c.m[diffID] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.scan, e.err = o.scanLayer(ctx, i, l, func(string) bool { return true })
	})
	if e.err != nil {
		c.mu.Lock()
		if c.m[diffID] == e {
			delete(c.m, diffID) // the next image reads it again
		}
		c.mu.Unlock()
		return nil, e.err
	}
	return e.scan, nil
}
