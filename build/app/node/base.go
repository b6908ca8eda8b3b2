package node

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// hasFile reports whether img's filesystem, its layers applied with their
// whiteouts, has name (an absolute path).
func hasFile(img v1.Image, name string) (bool, error) {
	want := strings.TrimPrefix(path.Clean("/"+name), "/")
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("reading the image's files: %w", err)
		}
		if strings.TrimPrefix(path.Clean("/"+h.Name), "/") == want {
			return true, nil
		}
	}
}
