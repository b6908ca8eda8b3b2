package cachedir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/debian/repo"
)

// Area is one part of the cache directory.
type Area string

// The areas, in the order reports list them.
const (
	Downloads   Area = "sha256"       // downloaded files by SHA256 (debian/fetch)
	Parsed      Area = "parsed"       // this ingot's parsed indexes (repo.ParsedCacheDir)
	ParsedOther Area = "parsed-other" // parsed indexes of other ingot versions, never read
	Layers      Area = "layers"       // encoded layers of built images (build)
	Temp        Area = "tmp"          // work in progress, or left behind by a process that died
)

// Areas lists every area.
var Areas = []Area{Downloads, Parsed, ParsedOther, Layers, Temp}

// ErrNotCache is wrapped by the error for a directory that does not look
// like an ingot cache.
var ErrNotCache = errors.New("not an ingot cache directory")

// entry is one thing Prune removes at once, or a part of one.
type entry struct {
	area  Area
	rel   string    // the entry, relative to the cache root
	unit  string    // what is removed with it, relative to the root (the entry, or its parsed version directory)
	dir   bool      // unit is a directory
	files int       // entries it counts as (1, or the files of a parsed version directory)
	bytes int64     // the sizes of its files
	used  time.Time // its last use: its modification time
}

// tempPrefix starts the names of the temporaries that debian/repo and
// build write beside their entries before renaming them into place.
const tempPrefix = ".tmp-"

// checkRoot refuses what is not an ingot cache: a cache has at least one of
// sha256/, parsed/ and layers/, as real directories.
func checkRoot(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("no cache directory given: %w (set INGOT_CACHE_DIR or pass --cache-dir)", ErrNotCache)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("reading the cache directory %s: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("reading the cache directory: %w (pass the directory ingot caches in, default $INGOT_CACHE_DIR, else ~/.cache/ingot)", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory: %w", dir, ErrNotCache)
	}
	for _, a := range []string{"sha256", "parsed", "layers"} {
		if st, err := os.Lstat(filepath.Join(abs, a)); err == nil && st.IsDir() {
			return abs, nil
		}
	}
	return "", fmt.Errorf("%s has no sha256/, parsed/ or layers/ directory: %w; refusing to touch it (pass the directory ingot caches in, default $INGOT_CACHE_DIR, else ~/.cache/ingot)", dir, ErrNotCache)
}

// scanner walks a cache directory.
type scanner struct {
	root string
	log  *slog.Logger
	want func(entry) bool // nil, or which entries fn is called for; asked before a directory is sized
	fn   func(entry) error
}

// scan calls fn for every entry under root (checked by checkRoot) that
// want, if not nil, accepts, area by area. Symlinks and files that are no
// entry are left out.
func scan(ctx context.Context, root string, log *slog.Logger, want func(entry) bool, fn func(entry) error) error {
	s := &scanner{root: root, log: log, want: want, fn: fn}
	for _, step := range []func(context.Context) error{s.downloads, s.parsed, s.layers, s.temp} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// readDir lists rel, a directory under the root; a missing or symlinked
// directory is empty.
func (s *scanner) readDir(rel string) ([]fs.DirEntry, error) {
	path := filepath.Join(s.root, rel)
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the cache: %w", err)
	}
	if !st.IsDir() {
		s.log.Warn("not a directory in the cache, left alone", "path", path)
		return nil, nil
	}
	ents, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) { // removed since, by another process
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the cache: %w", err)
	}
	return ents, nil
}

// prefixes lists the xx/ directories of an area (rel), and calls each for
// the children of each.
func (s *scanner) prefixes(ctx context.Context, rel string, each func(prefix string, e fs.DirEntry) error) error {
	top, err := s.readDir(rel)
	if err != nil {
		return err
	}
	for _, p := range top {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !p.IsDir() {
			s.skip(filepath.Join(rel, p.Name()), p)
			continue
		}
		prefix := filepath.Join(rel, p.Name())
		ents, err := s.readDir(prefix)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if err := each(prefix, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// skip notes what is left alone.
func (s *scanner) skip(rel string, e fs.DirEntry) {
	what := "unknown file"
	if e.Type()&fs.ModeSymlink != 0 {
		what = "symlink"
	}
	s.log.Debug(what+" in the cache, left alone", "path", filepath.Join(s.root, rel))
}

// file reports a regular file rel as an entry of area, or as a temporary.
func (s *scanner) file(area Area, rel, unit string, e fs.DirEntry) error {
	if !e.Type().IsRegular() {
		s.skip(rel, e)
		return nil
	}
	info, err := e.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the cache: %w", err)
	}
	if strings.HasPrefix(e.Name(), tempPrefix) && unit == rel { // else it goes with its version directory
		area = Temp
	}
	ent := entry{area: area, rel: rel, unit: unit, files: 1, bytes: info.Size(), used: info.ModTime()}
	if s.want != nil && !s.want(ent) {
		return nil
	}
	return s.fn(ent)
}

// dirEntry reports a directory rel, a whole entry, of area.
func (s *scanner) dirEntry(area Area, rel string, e fs.DirEntry) error {
	info, err := e.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the cache: %w", err)
	}
	if strings.HasPrefix(e.Name(), tempPrefix) {
		area = Temp
	}
	ent := entry{area: area, rel: rel, unit: rel, dir: true, files: 1, used: info.ModTime()}
	if s.want != nil && !s.want(ent) {
		return nil
	}
	if ent.bytes, err = dirSize(filepath.Join(s.root, rel)); err != nil {
		return err
	}
	return s.fn(ent)
}

// dirSize sums the sizes of the regular files under dir, without
// following symlinks. Files removed meanwhile count as nothing.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the cache: %w", err)
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n, err
}

func (s *scanner) downloads(ctx context.Context) error {
	return s.prefixes(ctx, "sha256", func(prefix string, e fs.DirEntry) error {
		rel := filepath.Join(prefix, e.Name())
		return s.file(Downloads, rel, rel, e)
	})
}

// parsed reports this ingot's entries, and the files of every other
// version directory, each to be removed with its version directory.
func (s *scanner) parsed(ctx context.Context) error {
	current := repo.ParsedCacheDir()
	versions, err := s.readDir("parsed")
	if err != nil {
		return err
	}
	for _, v := range versions {
		rel := filepath.Join("parsed", v.Name())
		if !v.IsDir() || !strings.HasPrefix(v.Name(), "v") {
			s.skip(rel, v)
			continue
		}
		area, unit := Parsed, ""
		if rel != current {
			area, unit = ParsedOther, rel
		}
		err := s.prefixes(ctx, rel, func(prefix string, e fs.DirEntry) error {
			f := filepath.Join(prefix, e.Name())
			u := unit
			if u == "" {
				u = f
			}
			return s.file(area, f, u, e)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *scanner) layers(ctx context.Context) error {
	return s.prefixes(ctx, "layers", func(prefix string, e fs.DirEntry) error {
		rel := filepath.Join(prefix, e.Name())
		if !e.IsDir() {
			s.skip(rel, e)
			return nil
		}
		return s.dirEntry(Layers, rel, e)
	})
}

func (s *scanner) temp(ctx context.Context) error {
	ents, err := s.readDir("tmp")
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel := filepath.Join("tmp", e.Name())
		if e.IsDir() {
			err = s.dirEntry(Temp, rel, e)
		} else {
			err = s.file(Temp, rel, rel, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
