package fetch

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress reports one GetAll call. A nil *progress reports nothing, so the
// download code calls it unconditionally.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time

	mu         sync.Mutex
	files      int
	totalBytes int64 // sum of known sizes
	doneFiles  int
	cachedN    int
	failedN    int
	bytes      int64 // bytes downloaded (not counting cache hits)
	doneBytes  int64 // bytes of finished files, including cache hits
	lastDraw   time.Time
	drawn      bool
	standalone bool // reports Get calls: no summary line
}

func newProgress(w io.Writer, terminal bool, items []Item) *progress {
	if w == nil {
		return nil
	}
	p := &progress{w: w, terminal: terminal, start: time.Now(), files: len(items)}
	for _, it := range items {
		if it.Size > 0 {
			p.totalBytes += it.Size
		}
	}
	return p
}

// standalone returns the progress shared by the Get calls in flight (nil
// without WithProgress) and the function to call when this one ends; the
// last one to end finishes it.
func (c *Cache) standalone(it Item) (*progress, func()) {
	if c.o.progress == nil {
		return nil, func() {}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active == nil {
		c.active = newProgress(c.o.progress, c.o.terminal, nil)
		c.active.standalone = true
	}
	p := c.active
	c.inflight++
	p.mu.Lock()
	p.files++
	p.totalBytes += max(it.Size, 0)
	p.mu.Unlock()
	return p, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.inflight--; c.inflight == 0 {
			c.active.finish()
			c.active = nil
		}
	}
}

// redrawEvery limits how often the terminal line is redrawn.
const redrawEvery = 100 * time.Millisecond

func (p *progress) add(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bytes += n
	p.redraw(false)
}

func (p *progress) cached(it Item) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doneFiles++
	p.cachedN++
	p.doneBytes += max(it.Size, 0)
	p.redraw(false)
}

func (p *progress) done(it Item) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doneFiles++
	p.doneBytes += max(it.Size, 0)
	if !p.terminal {
		fmt.Fprintf(p.w, "fetched %s (%s)\n", it.label(), humanBytes(max(it.Size, 0)))
		return
	}
	p.redraw(false)
}

func (p *progress) failed(it Item) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failedN++
	if !p.terminal {
		fmt.Fprintf(p.w, "failed %s\n", it.label())
	}
}

// redraw draws the terminal line, at most every redrawEvery unless forced.
// Callers hold p.mu.
func (p *progress) redraw(force bool) {
	if !p.terminal {
		return
	}
	now := time.Now()
	if !force && now.Sub(p.lastDraw) < redrawEvery {
		return
	}
	p.lastDraw = now
	p.drawn = true
	fmt.Fprintf(p.w, "\r\033[Kfetching: %d/%d files, %s/%s, %s/s",
		p.doneFiles, p.files, humanBytes(p.doneBytes), humanBytes(p.totalBytes), humanBytes(p.rate(now)))
}

func (p *progress) rate(now time.Time) int64 {
	secs := now.Sub(p.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return int64(float64(p.bytes) / secs)
}

// finish prints the summary.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.terminal {
		p.redraw(true)
		fmt.Fprintln(p.w)
		return
	}
	if p.standalone {
		return
	}
	fmt.Fprintf(p.w, "fetched %d/%d files (%d cached, %d failed), %s downloaded in %s\n",
		p.doneFiles, p.files, p.cachedN, p.failedN, humanBytes(p.bytes), now.Sub(p.start).Round(time.Millisecond))
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
