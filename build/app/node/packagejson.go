package node

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// maxManifest bounds package.json and package-lock.json.
const maxManifest = 64 << 20

// pkgJSON is what the builder reads from package.json.
type pkgJSON struct {
	Name    string            `json:"name"`
	Main    string            `json:"main"`
	Scripts map[string]string `json:"scripts"`
	Gypfile bool              `json:"gypfile"`
}

// readPackage reads and parses the package.json at p.
func readPackage(p string) (*pkgJSON, error) {
	b, err := readBounded(p)
	if err != nil {
		return nil, err
	}
	pkg, err := parsePackage(b)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return pkg, nil
}

func parsePackage(b []byte) (*pkgJSON, error) {
	var pkg pkgJSON
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("not valid package.json: %w", err)
	}
	return &pkg, nil
}

// readBounded reads a file of at most maxManifest bytes.
func readBounded(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxManifest+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	if len(b) > maxManifest {
		return nil, fmt.Errorf("%s is over %d bytes", p, maxManifest)
	}
	return b, nil
}

// startCandidates lists where the start file comes from, in order.
func (p *pkgJSON) startCandidates() []string {
	var out []string
	if f, ok := nodeScript(p.Scripts["start"]); ok {
		out = append(out, f)
	}
	if p.Main != "" {
		out = append(out, p.Main)
	}
	return append(out, "server.js", "index.js")
}

// startFile is the file node runs, relative to dir: scripts.start when it is
// "node FILE", else main, else server.js or index.js, whichever exists
// first.
func (p *pkgJSON) startFile(dir string) (string, error) {
	for _, c := range p.startCandidates() {
		rel, ok := cleanRel(c)
		if !ok {
			return "", fmt.Errorf("package.json in %s names the start file %q, outside the application: name a file inside it", dir, c)
		}
		for _, cand := range []string{rel, rel + ".js", path.Join(rel, "index.js")} {
			if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(cand))); err == nil && fi.Mode().IsRegular() {
				return cand, nil
			}
		}
	}
	return "", fmt.Errorf("no start file in %s: looked for %s. Set \"scripts\": {\"start\": \"node server.js\"} or \"main\" in package.json, or give the command with --cmd",
		dir, strings.Join(p.startCandidates(), ", "))
}

// nodeScript returns FILE when script is "node FILE" (no options, no shell
// syntax): what can run without a shell and without npm.
func nodeScript(script string) (string, bool) {
	f := strings.Fields(script)
	if len(f) != 2 || f[0] != "node" || strings.HasPrefix(f[1], "-") || strings.ContainsAny(f[1], "$`;&|<>*?'\"\\") {
		return "", false
	}
	return f[1], true
}

// cleanRel cleans a path relative to the application; false when it leaves
// it.
func cleanRel(p string) (string, bool) {
	c := path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if c == "." || path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

// lockJSON is what the builder reads from package-lock.json (v2 and v3).
type lockJSON struct {
	LockfileVersion int `json:"lockfileVersion"`
	Packages        map[string]struct {
		Version  string `json:"version"`
		Dev      bool   `json:"dev"`
		Optional bool   `json:"optional"`
		Link     bool   `json:"link"`
	} `json:"packages"`
}

// lockPackages returns the production packages a lock pins, as
// name=version, sorted.
func lockPackages(b []byte) ([]string, error) {
	var l lockJSON
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("not a valid package-lock.json: %w", err)
	}
	if l.LockfileVersion < 2 {
		return nil, fmt.Errorf("lockfileVersion %d: npm ci needs version 2 or 3; run npm install with npm 7 or later to upgrade it", l.LockfileVersion)
	}
	var out []string
	for key, p := range l.Packages {
		i := strings.LastIndex(key, "node_modules/")
		if key == "" || i < 0 || p.Dev || p.Link {
			continue
		}
		out = append(out, key[i+len("node_modules/"):]+"="+p.Version)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
