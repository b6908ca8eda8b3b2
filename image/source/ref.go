package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// kind is where a reference points.
type kind int

const (
	kindLayout kind = iota + 1
	kindTarball
	kindRemote
)

func (k kind) String() string {
	switch k {
	case kindLayout:
		return "OCI layout"
	case kindTarball:
		return "docker tarball"
	case kindRemote:
		return "registry"
	}
	return "unknown"
}

// parsed is a reference taken apart.
type parsed struct {
	kind   kind
	path   string         // layout directory or tarball file
	digest string         // layout: select this manifest ("sha256:...")
	tag    string         // layout: org.opencontainers.image.ref.name; tarball: repo:tag inside it
	ref    name.Reference // registry
}

const (
	prefixOCI    = "oci:"
	prefixLayout = "oci-layout:"
	prefixDocker = "docker-archive:"
)

// parse decides what ref names. Local paths win over registry names when they
// exist; a path-like ref (starting with "/" or ".") that does not exist is an
// error rather than a registry lookup.
func parse(ref string, insecure bool) (parsed, error) {
	if ref == "" {
		return parsed{}, errors.New("empty image reference: name an OCI layout directory, a docker tarball or a registry image")
	}
	switch {
	case strings.HasPrefix(ref, prefixOCI):
		return parseLayout(strings.TrimPrefix(ref, prefixOCI), true)
	case strings.HasPrefix(ref, prefixLayout):
		return parseLayout(strings.TrimPrefix(ref, prefixLayout), true)
	case strings.HasPrefix(ref, prefixDocker):
		return parseTarball(strings.TrimPrefix(ref, prefixDocker), true)
	}
	if p, err := parseLayout(ref, false); err == nil {
		return p, nil
	}
	if p, err := parseTarball(ref, false); err == nil {
		return p, nil
	}
	if looksLikePath(ref) {
		return parsed{}, fmt.Errorf("opening image %q: no OCI layout directory (with an oci-layout file) or docker tarball at that path", ref)
	}
	var nopts []name.Option
	if insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return parsed{}, fmt.Errorf("opening image %q: not a local layout or tarball, and not a valid registry reference: %w", ref, err)
	}
	return parsed{kind: kindRemote, ref: r}, nil
}

func looksLikePath(ref string) bool {
	return strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, ".") || strings.HasPrefix(ref, "~")
}

// parseLayout splits "dir", "dir@sha256:..." or "dir:tag" and checks dir is a layout.
func parseLayout(s string, explicit bool) (parsed, error) {
	cands := []parsed{{kind: kindLayout, path: s}}
	if i := strings.LastIndex(s, "@"); i > 0 {
		cands = append(cands, parsed{kind: kindLayout, path: s[:i], digest: s[i+1:]})
	} else if i := strings.LastIndex(s, ":"); i > 0 && !strings.Contains(s[i:], "/") {
		cands = append(cands, parsed{kind: kindLayout, path: s[:i], tag: s[i+1:]})
	}
	var firstErr error
	for _, c := range cands {
		err := isLayout(c.path)
		if err == nil {
			if c.digest != "" && !strings.Contains(c.digest, ":") {
				return parsed{}, fmt.Errorf("opening OCI layout %s: digest %q must look like sha256:<hex>", c.path, c.digest)
			}
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if explicit {
		return parsed{}, fmt.Errorf("opening OCI layout %q: %w", s, firstErr)
	}
	return parsed{}, firstErr
}

func isLayout(dir string) error {
	if dir == "" {
		return errors.New("empty path")
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); err != nil {
		return fmt.Errorf("%s is not an OCI image layout (no oci-layout file): %w", dir, err)
	}
	return nil
}

// parseTarball splits "file" or "file:repo:tag" and checks file is a regular file.
func parseTarball(s string, explicit bool) (parsed, error) {
	if isFile(s) == nil {
		return parsed{kind: kindTarball, path: s}, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && i > 0 && isFile(s[:i]) == nil {
			return parsed{kind: kindTarball, path: s[:i], tag: s[i+1:]}, nil
		}
	}
	err := isFile(s)
	if explicit {
		return parsed{}, fmt.Errorf("opening docker tarball %q: %w", s, err)
	}
	return parsed{}, err
}

func isFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file: %w", p, fs.ErrInvalid)
	}
	return nil
}
