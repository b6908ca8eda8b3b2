package sbom

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
)

const (
	// maxPackageLock bounds a package-lock.json; large monorepos reach a few MB.
	maxPackageLock = 64 << 20
	// maxPackageJSON bounds a package.json.
	maxPackageJSON = 4 << 20
)

// npmScanner reads installed npm packages (node_modules/**/package.json) and
// application lock files (package-lock.json outside node_modules).
type npmScanner struct{}

func (npmScanner) wants(name string, _ *tar.Header) bool {
	dir, base := path.Split(name)
	switch base {
	case "package-lock.json":
		return !strings.Contains("/"+dir, "/node_modules/")
	case "package.json":
		return isNodeModule(strings.TrimSuffix(dir, "/"))
	}
	return false
}

// isNodeModule reports whether dir is a package's own directory:
// .../node_modules/<name> or .../node_modules/@scope/<name>.
func isNodeModule(dir string) bool {
	parent, name := path.Split(dir)
	parent = strings.TrimSuffix(parent, "/")
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "@") {
		return false
	}
	if p, scope := path.Split(parent); strings.HasPrefix(scope, "@") {
		parent = strings.TrimSuffix(p, "/")
	}
	return parent == "node_modules" || strings.HasSuffix(parent, "/node_modules")
}

func (npmScanner) scan(name string, r io.Reader) (found, error) {
	if path.Base(name) == "package-lock.json" {
		pkgs, err := parsePackageLock(bounded(r, maxPackageLock))
		return found{pkgs: pkgs}, err
	}
	p, ok, err := parsePackageJSON(bounded(r, maxPackageJSON))
	if err != nil || !ok {
		return found{}, err
	}
	return found{pkgs: []Package{p}}, nil
}

// npmLicense is a package.json "license": "MIT", or the deprecated
// {"type": "MIT"}.
type npmLicense string

func (l *npmLicense) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = npmLicense(s)
		return nil
	}
	var o struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &o) == nil {
		*l = npmLicense(o.Type)
	}
	return nil // a licence in an unknown shape is not worth failing for
}

// parsePackageJSON reads name, version and licence; ok is false for a
// package.json that names no package (a "type": "module" marker).
func parsePackageJSON(r io.Reader) (Package, bool, error) {
	var pj struct {
		Name     string       `json:"name"`
		Version  string       `json:"version"`
		License  npmLicense   `json:"license"`
		Licenses []npmLicense `json:"licenses"`
	}
	if err := json.NewDecoder(r).Decode(&pj); err != nil {
		return Package{}, false, fmt.Errorf("decoding package.json: %w", err)
	}
	if pj.Name == "" || pj.Version == "" {
		return Package{}, false, nil
	}
	lics := []string{string(pj.License)}
	for _, l := range pj.Licenses {
		lics = append(lics, string(l))
	}
	return npmPackage(pj.Name, pj.Version, lics...), true, nil
}

func npmPackage(name, version string, licenses ...string) Package {
	return Package{Ecosystem: Npm, Name: name, Version: version, PURL: NpmPURL(name, version), Licenses: spdxLicenses(licenses...), Layer: -1}
}

// lockEntry is a package in a lock file: v2/v3 "packages" values and v1
// "dependencies" values.
type lockEntry struct {
	Name         string          `json:"name"`
	Version      string          `json:"version"`
	License      npmLicense      `json:"license"`
	Dev          bool            `json:"dev"`
	Link         bool            `json:"link"`
	Dependencies json.RawMessage `json:"dependencies"` // v1: nested entries; v2, v3: version ranges
}

// parsePackageLock lists the packages of a package-lock.json (lockfileVersion
// 1, 2 or 3), without dev dependencies (not installed in a production image)
// nor workspace links.
func parsePackageLock(r io.Reader) ([]Package, error) {
	var lock struct {
		LockfileVersion int                  `json:"lockfileVersion"`
		Packages        map[string]lockEntry `json:"packages"`
		Dependencies    json.RawMessage      `json:"dependencies"`
	}
	if err := json.NewDecoder(r).Decode(&lock); err != nil {
		return nil, fmt.Errorf("decoding package-lock.json: %w", err)
	}
	var out []Package
	if lock.LockfileVersion >= 2 || len(lock.Packages) > 0 {
		for key, e := range lock.Packages {
			i := strings.LastIndex(key, "node_modules/")
			if i < 0 || e.Dev || e.Link || e.Version == "" {
				continue // "" is the project itself
			}
			name := e.Name
			if name == "" {
				name = key[i+len("node_modules/"):]
			}
			if name == "" {
				continue
			}
			out = append(out, npmPackage(name, e.Version, string(e.License)))
		}
		return out, nil
	}
	var walk func(raw json.RawMessage) error
	walk = func(raw json.RawMessage) error {
		if len(raw) == 0 {
			return nil
		}
		var deps map[string]lockEntry
		if err := json.Unmarshal(raw, &deps); err != nil {
			return fmt.Errorf("decoding package-lock.json dependencies: %w", err)
		}
		for _, name := range slices.Sorted(maps.Keys(deps)) {
			e := deps[name]
			if !e.Dev && e.Version != "" && name != "" {
				out = append(out, npmPackage(name, e.Version))
			}
			if err := walk(e.Dependencies); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(lock.Dependencies)
}
