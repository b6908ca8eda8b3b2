package cachedir

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
)

// Usage is what one area holds.
type Usage struct {
	Area    Area      `json:"area"`
	Path    string    `json:"path"`    // the area's directory
	Entries int       `json:"entries"` // files, or layer-cache entry directories
	Bytes   int64     `json:"bytes"`   // the sizes of their files
	Oldest  time.Time `json:"oldestUse,omitzero"`
	Newest  time.Time `json:"newestUse,omitzero"`
}

// Report is what a cache directory holds, area by area.
type Report struct {
	Dir     string  `json:"dir"`
	Areas   []Usage `json:"areas"` // every area, in the order of Areas, empty ones too
	Entries int     `json:"entries"`
	Bytes   int64   `json:"bytes"`
}

// Measure reports what the cache directory dir holds. It refuses, with an
// error wrapping ErrNotCache, a directory that has none of sha256/, parsed/
// and layers/. It changes nothing.
func Measure(ctx context.Context, dir string, opts ...Option) (*Report, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	root, err := checkRoot(dir)
	if err != nil {
		return nil, err
	}
	r := newReport(root)
	err = scan(ctx, root, o.log, nil, func(e entry) error {
		r.add(e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("measuring the cache %s: %w", root, err)
	}
	return r, nil
}

func newReport(root string) *Report {
	r := &Report{Dir: root, Areas: make([]Usage, len(Areas))}
	for i, a := range Areas {
		r.Areas[i] = Usage{Area: a, Path: filepath.Join(root, areaDir(a))}
	}
	return r
}

// areaDir is where an area lives, relative to the root.
func areaDir(a Area) string {
	switch a {
	case Parsed:
		return repo.ParsedCacheDir()
	case ParsedOther:
		return "parsed"
	}
	return string(a)
}

// add counts e.
func (r *Report) add(e entry) {
	u := r.area(e.area)
	u.Entries += e.files
	u.Bytes += e.bytes
	if u.Oldest.IsZero() || e.used.Before(u.Oldest) {
		u.Oldest = e.used
	}
	if e.used.After(u.Newest) {
		u.Newest = e.used
	}
	r.Entries += e.files
	r.Bytes += e.bytes
}

// area returns the usage of a.
func (r *Report) area(a Area) *Usage {
	for i := range r.Areas {
		if r.Areas[i].Area == a {
			return &r.Areas[i]
		}
	}
	panic("cachedir: unknown area " + a)
}
