package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// WriteLayout writes idx as an OCI image layout directory at path: index.json
// is idx itself, so its digest is the index digest. The layout is written to
// a temporary sibling directory and swapped in, so a reader never sees a
// half-written layout. An existing path is replaced only if it is an empty
// directory or an OCI image layout (it has an oci-layout file). Missing
// parent directories are created.
func WriteLayout(path string, idx v1.ImageIndex) error {
	if err := checkReplaceable(path); err != nil {
		return err
	}
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("writing OCI layout %s: creating its parent directory: %w", path, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("writing OCI layout %s: creating temporary directory: %w", path, err)
	}
	defer os.RemoveAll(tmp) // no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", path, err)
	}
	if _, err := layout.Write(tmp, idx); err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", path, err)
	}

	old := tmp + ".old"
	hadOld := true
	if err := os.Rename(path, old); errors.Is(err, fs.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		return fmt.Errorf("writing OCI layout %s: moving the previous layout aside: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		if hadOld {
			_ = os.Rename(old, path)
		}
		return fmt.Errorf("writing OCI layout %s: moving the new layout in place: %w", path, err)
	}
	if hadOld {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("writing OCI layout %s: removing the previous layout at %s: %w", path, old, err)
		}
	}
	return nil
}

// checkReplaceable refuses to replace anything but nothing, an empty
// directory, or an OCI image layout.
func checkReplaceable(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("writing OCI layout %s: it exists and is not a directory; remove it or choose another output path", path)
	}
	if _, err := os.Stat(filepath.Join(path, "oci-layout")); err == nil {
		return nil
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", path, err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("writing OCI layout %s: the directory exists, is not empty and is not an OCI layout (no oci-layout file); remove it or choose another output path", path)
	}
	return nil
}
