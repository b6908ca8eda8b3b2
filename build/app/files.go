package app

import (
	"archive/tar"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ingot-dev/ingot/image/layer"
)

// FilesOption configures Files.
type FilesOption func(*filesOptions)

type filesOptions struct {
	exclude  []string
	maxBytes int64
}

// WithExclude skips paths matching any of the patterns (path.Match syntax),
// tried against the path relative to the directory ("node_modules",
// "web/*.map") and against the base name. A skipped directory is skipped
// whole. Default: only ".git" is skipped.
func WithExclude(patterns ...string) FilesOption {
	return func(o *filesOptions) { o.exclude = append(o.exclude, patterns...) }
}

// WithMaxBytes bounds the total size of the regular files read. Default:
// 2 GiB.
func WithMaxBytes(n int64) FilesOption {
	return func(o *filesOptions) { o.maxBytes = n }
}

// Files returns the layer entries of the tree at dir placed under dest
// ("app" for /app), normalised so that the same tree gives the same layer on
// every machine: owned by root, directories 0755, files 0755 when any execute
// bit is set and 0644 otherwise (readable, not writable, by the application's
// user), symlinks kept as they are. Sockets, FIFOs and devices are skipped.
// Mtimes are not carried: the layer builder sets them all to
// SOURCE_DATE_EPOCH.
func Files(dir, dest string, opts ...FilesOption) ([]layer.Entry, error) {
	o := filesOptions{exclude: []string{".git"}, maxBytes: 2 << 30}
	for _, opt := range opts {
		opt(&o)
	}
	dest = strings.Trim(path.Clean("/"+filepath.ToSlash(dest)), "/")
	var (
		entries []layer.Entry
		total   int64
	)
	if dest != "" {
		entries = append(entries, layer.Entry{Path: dest, Type: tar.TypeDir, Mode: 0o755})
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if excluded(rel, o.exclude) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := path.Join(dest, rel)
		switch t := d.Type(); {
		case t.IsDir():
			entries = append(entries, layer.Entry{Path: target, Type: tar.TypeDir, Mode: 0o755})
		case t&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			entries = append(entries, layer.Entry{Path: target, Type: tar.TypeSymlink, Mode: 0o777, Linkname: filepath.ToSlash(link)})
		case t.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
			if total > o.maxBytes {
				return fmt.Errorf("the files under %s are over %d bytes; exclude what the image does not need", dir, o.maxBytes)
			}
			body, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			mode := int64(0o644)
			if info.Mode().Perm()&0o111 != 0 {
				mode = 0o755
			}
			entries = append(entries, layer.Entry{Path: target, Type: tar.TypeReg, Mode: mode, Body: body})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the application files in %s: %w", dir, err)
	}
	return entries, nil
}

func excluded(rel string, patterns []string) bool {
	base := path.Base(rel)
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, rel); ok {
			return true
		}
		if ok, _ := path.Match(pat, base); ok {
			return true
		}
	}
	return false
}
