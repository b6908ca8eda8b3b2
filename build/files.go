package build

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image/layer"
)

// maxFileSize bounds one file a spec adds (layers are built in memory).
const maxFileSize = 1 << 30

// specFiles returns the entries of the spec's files: each src (relative to
// the spec's directory, which it cannot leave, even through a symlink) at
// dst, with the spec's mode and owner. Without a mode, a file is 0755 if
// its source is executable and 0644 otherwise, whatever the host's umask
// made of it. A directory src is added recursively with the same rule for
// its files unless the spec sets a mode; its directories are 0755. Symlinks inside a
// directory src are added as symlinks.
func specFiles(s *spec.Spec) ([]layer.Entry, error) {
	if len(s.Files) == 0 {
		return nil, nil
	}
	root, err := os.OpenRoot(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("opening the spec's directory for its files: %w", err)
	}
	defer root.Close()
	var out []layer.Entry
	for i, f := range s.Files {
		entries, err := specFile(root, f)
		if err != nil {
			return nil, fmt.Errorf("%s: files[%d]: adding %s as %s: %w", s.File, i, f.Src, f.Dst, err)
		}
		out = append(out, entries...)
	}
	return out, nil
}

func specFile(root *os.Root, f spec.File) ([]layer.Entry, error) {
	src := path.Clean(strings.ReplaceAll(f.Src, `\`, "/"))
	dst := strings.TrimPrefix(path.Clean(f.Dst), "/")
	info, err := root.Stat(src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s does not exist in %s: create it or fix the spec", f.Src, root.Name())
		}
		return nil, err
	}
	if !info.IsDir() {
		e, err := regular(root, src, dst, info, f)
		if err != nil {
			return nil, err
		}
		return []layer.Entry{e}, nil
	}
	var out []layer.Entry
	err = fs.WalkDir(root.FS(), src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, src), "/")
		target := path.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			out = append(out, layer.Entry{Path: target, Type: tar.TypeDir, Mode: 0o755, UID: f.UID, GID: f.GID})
		case d.Type()&fs.ModeSymlink != 0:
			link, err := root.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, layer.Entry{Path: target, Type: tar.TypeSymlink, Mode: 0o777, UID: f.UID, GID: f.GID, Linkname: link})
		case d.Type().IsRegular():
			e, err := regular(root, p, target, info, f)
			if err != nil {
				return err
			}
			out = append(out, e)
		default:
			return fmt.Errorf("%s is not a regular file, directory or symlink", p)
		}
		return nil
	})
	return out, err
}

func regular(root *os.Root, src, dst string, info fs.FileInfo, f spec.File) (layer.Entry, error) {
	if !info.Mode().IsRegular() {
		return layer.Entry{}, fmt.Errorf("%s is not a regular file or directory", src)
	}
	if info.Size() > maxFileSize {
		return layer.Entry{}, fmt.Errorf("%s is larger than %d bytes", src, maxFileSize)
	}
	r, err := root.Open(src)
	if err != nil {
		return layer.Entry{}, err
	}
	defer r.Close()
	body, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return layer.Entry{}, err
	}
	// Like git, keep only whether the source is executable: the rest of its
	// permission bits come from the host's umask.
	mode := int64(0o644)
	if info.Mode().Perm()&0o111 != 0 {
		mode = 0o755
	}
	if f.Mode != 0 {
		mode = int64(f.Mode)
	}
	return layer.Entry{Path: dst, Type: tar.TypeReg, Mode: mode, UID: f.UID, GID: f.GID, Body: body}, nil
}
