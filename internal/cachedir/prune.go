package cachedir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
)

// Removal is what Prune removed, or would remove, from one area.
type Removal struct {
	Area    Area  `json:"area"`
	Entries int   `json:"entries"`
	Bytes   int64 `json:"bytes"`
	// Paths are the removed entries, relative to the cache directory; for
	// ParsedOther, the version directories.
	Paths []string `json:"paths,omitempty"`
}

// Pruned is what Prune removed, or would remove with WithDryRun.
type Pruned struct {
	Dir     string    `json:"dir"`
	DryRun  bool      `json:"dryRun"`
	Areas   []Removal `json:"areas"` // every area, in the order of Areas
	Entries int       `json:"entries"`
	Bytes   int64     `json:"bytes"`
}

// Prune removes from the cache directory dir:
//   - the entries of sha256/, parsed/ and layers/ not used for WithUnusedFor
//     (30 days by default);
//   - the parsed-index directories of other ingot versions (ParsedOther),
//     which this ingot never reads;
//   - temporaries (tmp/, and .tmp-* beside entries) older than
//     fetch.StaleTemp;
//   - with WithAll, everything in those areas.
//
// It refuses a directory that does not look like an ingot cache (the error
// wraps ErrNotCache). An entry used again between the walk and its removal
// is kept. When some entries cannot be removed, the others still are: the
// result says what was, and the error names what was not.
func Prune(ctx context.Context, dir string, opts ...Option) (*Pruned, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	root, err := checkRoot(dir)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	due := func(e entry) bool {
		switch {
		case o.all, e.area == ParsedOther:
			return true
		case e.area == Temp:
			return now.Sub(e.used) > fetch.StaleTemp
		}
		return now.Sub(e.used) >= o.unusedFor
	}
	// Units in walk order; a parsed version directory is one unit of many entries.
	var units []*unit
	byPath := map[string]*unit{}
	err = scan(ctx, root, o.log, due, func(e entry) error {
		u := byPath[e.unit]
		if u == nil {
			u = &unit{area: e.area, rel: e.unit, dir: e.dir || e.unit != e.rel}
			byPath[e.unit] = u
			units = append(units, u)
		}
		u.files += e.files
		u.bytes += e.bytes
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pruning the cache %s: %w", root, err)
	}

	res := &Pruned{Dir: root, DryRun: o.dryRun, Areas: make([]Removal, len(Areas))}
	for i, a := range Areas {
		res.Areas[i].Area = a
	}
	r := &remover{root: root, log: o.log, removeAll: os.RemoveAll, recheck: func(u *unit, used time.Time) bool {
		return due(entry{area: u.area, used: used})
	}}
	defer r.close()
	var errs []error
	for _, u := range units {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if o.dryRun {
			o.log.Debug("would remove", "path", u.rel, "bytes", u.bytes)
		} else {
			removed, err := r.remove(u)
			if err != nil {
				errs = append(errs, err)
			}
			if !removed {
				continue
			}
		}
		res.count(u)
	}
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("pruning the cache %s: %w", root, err)
	}
	return res, nil
}

// unit is what is removed at once.
type unit struct {
	area  Area
	rel   string
	dir   bool
	files int
	bytes int64
}

func (p *Pruned) count(u *unit) {
	for i := range p.Areas {
		if a := &p.Areas[i]; a.Area == u.area {
			a.Entries += u.files
			a.Bytes += u.bytes
			a.Paths = append(a.Paths, u.rel)
		}
	}
	p.Entries += u.files
	p.Bytes += u.bytes
}
