package image

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// WriteTarball writes the image of idx for platform p as a `docker load`-able
// tarball at path, tagged ref. A zero p picks the host's architecture if idx
// has it, else the first image. The file is written to a temporary sibling
// and renamed, so path never holds a partial tarball.
func WriteTarball(path string, ref name.Reference, idx v1.ImageIndex, p v1.Platform) error {
	img, err := SelectImage(idx, p)
	if err != nil {
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	dir, base := filepath.Split(filepath.Clean(path))
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once renamed
	if err := tarball.Write(ref, img, f); err != nil {
		f.Close()
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing tarball %s: %w", path, err)
	}
	return nil
}

// SelectImage returns the image of idx for platform p, matched on OS,
// architecture and (if p has one) variant. A zero p means the host's
// architecture if idx has it, else the first image.
func SelectImage(idx v1.ImageIndex, p v1.Platform) (v1.Image, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading index manifest: %w", err)
	}
	if len(im.Manifests) == 0 {
		return nil, fmt.Errorf("the index has no images")
	}
	want := p
	explicit := p.Architecture != ""
	if !explicit {
		want = v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
	}
	if want.OS == "" {
		want.OS = "linux"
	}
	var have []string
	for _, d := range im.Manifests {
		if d.Platform == nil {
			continue
		}
		have = append(have, d.Platform.String())
		if d.Platform.OS == want.OS && d.Platform.Architecture == want.Architecture &&
			(want.Variant == "" || d.Platform.Variant == want.Variant) {
			return idx.Image(d.Digest)
		}
	}
	if explicit {
		return nil, fmt.Errorf("the index has no image for %s (it has %s); pick one of those", want, strings.Join(have, ", "))
	}
	return idx.Image(im.Manifests[0].Digest)
}
