package sbom

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxPythonMetadata bounds the header of a METADATA or PKG-INFO file (the
// body, a README, is not read).
const maxPythonMetadata = 1 << 20

// pythonScanner reads installed Python distributions: *.dist-info/METADATA
// (pip, wheels) and *.egg-info/PKG-INFO or a *.egg-info file (setuptools,
// Debian's python3-* packages).
type pythonScanner struct{}

func (pythonScanner) wants(name string, _ *tar.Header) bool {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case base == "METADATA":
		return strings.HasSuffix(dir, ".dist-info")
	case base == "PKG-INFO":
		return strings.HasSuffix(dir, ".egg-info")
	}
	return strings.HasSuffix(base, ".egg-info")
}

func (pythonScanner) scan(_ string, r io.Reader) (found, error) {
	p, ok, err := parsePythonMetadata(r)
	if err != nil || !ok {
		return found{}, err
	}
	return found{pkgs: []Package{p}}, nil
}

// parsePythonMetadata reads the core metadata header (RFC 822 style, up to
// the first blank line): Name, Version and the licence, from
// License-Expression (metadata 2.4) or else a one-line License.
func parsePythonMetadata(r io.Reader) (Package, bool, error) {
	fields := map[string]string{}
	sc := bufio.NewScanner(bounded(r, maxPythonMetadata))
	sc.Buffer(make([]byte, 0, 64<<10), maxPythonMetadata)
	last := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last != "" {
				fields[last] += "\n" + strings.TrimSpace(line)
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			last = ""
			continue
		}
		last = strings.ToLower(strings.TrimSpace(k))
		if _, dup := fields[last]; !dup { // the first of repeated fields
			fields[last] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return Package{}, false, fmt.Errorf("reading Python metadata: %w", err)
	}
	name, version := fields["name"], fields["version"]
	if name == "" || version == "" || strings.ContainsAny(name+version, "\n") {
		return Package{}, false, nil
	}
	lic := fields["license-expression"]
	if l := fields["license"]; lic == "" && !strings.Contains(l, "\n") && len(l) <= 100 && !strings.EqualFold(l, "UNKNOWN") {
		lic = l
	}
	return Package{Ecosystem: PyPI, Name: name, Version: version, PURL: PyPIPURL(name, version), Licenses: spdxLicenses(lic), Layer: -1}, true, nil
}
