package golang

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxGoMod bounds the go.mod read.
const maxGoMod = 1 << 20

// module is what the builder needs from go.mod and its neighbours.
type module struct {
	path     string // module path
	requires bool   // go.mod has require directives
	goSum    bool   // go.sum exists
	vendor   bool   // vendor/modules.txt exists
}

// readModule reads dir/go.mod.
func readModule(dir string) (module, error) {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return module{}, fmt.Errorf("reading go.mod: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxGoMod+1))
	if err != nil {
		return module{}, fmt.Errorf("reading go.mod in %s: %w", dir, err)
	}
	if len(data) > maxGoMod {
		return module{}, fmt.Errorf("go.mod in %s is over %d bytes", dir, maxGoMod)
	}
	m, err := parseGoMod(data)
	if err != nil {
		return module{}, fmt.Errorf("reading go.mod in %s: %w", dir, err)
	}
	m.goSum = exists(filepath.Join(dir, "go.sum"))
	m.vendor = exists(filepath.Join(dir, "vendor", "modules.txt"))
	return m, nil
}

// parseGoMod reads the module path and whether there are requirements.
// The go command checks the rest when it builds.
func parseGoMod(data []byte) (module, error) {
	var m module
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxGoMod)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "module":
			if m.path != "" {
				return module{}, errors.New("two module directives")
			}
			if len(fields) != 2 {
				return module{}, fmt.Errorf("malformed module directive %q", strings.TrimSpace(line))
			}
			p := fields[1]
			if strings.HasPrefix(p, `"`) || strings.HasPrefix(p, "`") {
				u, err := strconv.Unquote(p)
				if err != nil {
					return module{}, fmt.Errorf("malformed module path %s: %w", p, err)
				}
				p = u
			}
			if p == "" || strings.ContainsAny(p, " \t\\") {
				return module{}, fmt.Errorf("malformed module path %q", p)
			}
			m.path = p
		case "require":
			m.requires = true
		}
	}
	if err := sc.Err(); err != nil {
		return module{}, err
	}
	if m.path == "" {
		return module{}, errors.New("no module directive: it does not look like a go.mod file")
	}
	return m, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return !errors.Is(err, fs.ErrNotExist)
}
