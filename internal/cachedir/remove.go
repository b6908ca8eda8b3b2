package cachedir

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// remover removes units from a cache directory.
type remover struct {
	root    string
	log     *slog.Logger
	recheck func(u *unit, used time.Time) bool // whether u, last used at used, is still due
	aside   string                             // a directory in tmp/ for entries being removed, made on first use
	// removeAll is os.RemoveAll; tests interrupt it.
	removeAll func(string) error
}

// remove removes u and reports whether it did. A unit gone already, turned
// into something else (a symlink) or used again since the walk is kept.
func (r *remover) remove(u *unit) (bool, error) {
	path := filepath.Join(r.root, u.rel)
	if !r.inside(path) {
		return false, fmt.Errorf("refusing to remove %s: outside the cache", path)
	}
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("removing %s: %w", path, err)
	}
	if st.IsDir() != u.dir || (!st.IsDir() && !st.Mode().IsRegular()) || !r.recheck(u, st.ModTime()) {
		r.log.Debug("kept: changed since the walk", "path", path)
		return false, nil
	}
	r.log.Debug("removing", "path", path, "bytes", u.bytes)
	if !u.dir {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("removing %s: %w (check its permissions)", path, err)
		}
		return true, nil
	}
	return true, r.removeDir(u, path)
}

// removeDir removes the directory path. One outside tmp/ is first renamed
// aside into tmp/, at once, so no reader sees part of it; should that fail,
// a layer entry's image.json goes first, which makes the rest no entry.
func (r *remover) removeDir(u *unit, path string) error {
	if u.area != Temp {
		if aside, err := r.asideDir(); err == nil {
			to := filepath.Join(aside, strings.ReplaceAll(u.rel, string(filepath.Separator), "_"))
			if err := os.Rename(path, to); err == nil {
				path = to
			} else if errors.Is(err, fs.ErrNotExist) {
				return nil
			} else {
				r.log.Debug("cannot rename an entry aside, removing it in place", "path", path, "err", err)
			}
		} else {
			r.log.Debug("cannot make a directory in tmp/, removing entries in place", "err", err)
		}
	}
	if err := os.Remove(filepath.Join(path, "image.json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing %s: %w (check its permissions)", path, err)
	}
	if err := r.removeAll(path); err != nil {
		return fmt.Errorf("removing %s: %w (check its permissions)", path, err)
	}
	return nil
}

// asideDir makes, once, a fresh directory in tmp/ to rename entries into.
// tmp/ must be a real directory of the cache, not a symlink out of it.
func (r *remover) asideDir() (string, error) {
	if r.aside != "" {
		return r.aside, nil
	}
	tmp := filepath.Join(r.root, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	st, err := os.Lstat(tmp)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory", tmp)
	}
	if r.aside, err = os.MkdirTemp(tmp, "prune-"); err != nil {
		return "", err
	}
	return r.aside, nil
}

// close removes the aside directory, empty by now.
func (r *remover) close() {
	if r.aside != "" {
		os.Remove(r.aside)
	}
}

// inside reports whether path is strictly under the root.
func (r *remover) inside(path string) bool {
	rel, err := filepath.Rel(r.root, path)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)
}
