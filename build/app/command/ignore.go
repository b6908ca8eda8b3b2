package command

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// IgnoreFiles are the files Ignore reads, in order.
var IgnoreFiles = []string{".dockerignore", ".ingotignore"}

// maxIgnoreSize bounds an ignore file.
const maxIgnoreSize = 1 << 20

// Ignore returns the exclusion patterns of dir's .dockerignore and
// .ingotignore (both, when both exist), for app.WithExclude. A missing file
// is no error.
func Ignore(dir string) ([]string, error) {
	var all []string
	for _, name := range IgnoreFiles {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		if fi.Size() > maxIgnoreSize {
			return nil, fmt.Errorf("%s is %d bytes, over %d: shorten it", p, fi.Size(), maxIgnoreSize)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		pats, err := ParseIgnore(b)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		all = append(all, pats...)
	}
	return all, nil
}

// ParseIgnore reads the patterns of a .dockerignore file: one per line,
// blank lines and # comments skipped, a leading "/" or "./" and a trailing
// "/" dropped, a leading "**/" dropped (app.Files also tries every pattern
// against base names). Exceptions ("!pattern") cannot be expressed as an
// exclusion and are refused rather than ignored, so that nothing is shipped
// or dropped against the file's intent.
func ParseIgnore(b []byte) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxIgnoreSize)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			return nil, fmt.Errorf("line %d: exceptions (%s) are not supported: list what to exclude instead", n, line)
		}
		p := line
		for {
			q := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p, "/"), "./"), "**/")
			if q == p {
				break
			}
			p = q
		}
		p = strings.TrimSuffix(path.Clean("/"+p), "/")
		p = strings.TrimPrefix(p, "/")
		if p == "" || p == "." {
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("line %d: bad pattern %q: %w", n, line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
