package sbom

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

const (
	dpkgStatus  = "var/lib/dpkg/status"
	dpkgStatusD = "var/lib/dpkg/status.d"
	// maxDpkgStatus bounds a status file: bookworm with every package of
	// main installed writes about 60 MB.
	maxDpkgStatus = 128 << 20
	// maxOSRelease bounds os-release, a few hundred bytes in practice.
	maxOSRelease = 64 << 10
)

// dpkgScanner reads dpkg's database: the status file, and the one-file-per-
// package status.d directory of distroless images.
type dpkgScanner struct{}

func (dpkgScanner) wants(name string, _ *tar.Header) bool {
	if name == dpkgStatus {
		return true
	}
	dir, base := path.Split(name)
	return dir == dpkgStatusD+"/" && !strings.HasSuffix(base, ".md5sums") && !strings.HasPrefix(base, ".")
}

func (dpkgScanner) scan(name string, r io.Reader) (found, error) {
	pkgs, err := parseDpkgStatus(bounded(r, maxDpkgStatus), name != dpkgStatus)
	return found{pkgs: pkgs}, err
}

// parseDpkgStatus returns the installed packages of a dpkg status file.
// In a status.d file (distroless) a record without Status counts as
// installed: those files carry none.
func parseDpkgStatus(r io.Reader, statusD bool) ([]Package, error) {
	cr := debian.NewControlReader(r)
	var out []Package
	for {
		para, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("reading dpkg status: %w", err)
		}
		if para.Get("Package") == "" {
			continue
		}
		status, hasStatus := para.Lookup("Status")
		if !installed(status) && (hasStatus || !statusD) {
			continue
		}
		p, err := dpkgPackage(para)
		if err != nil {
			return out, fmt.Errorf("reading dpkg status at line %d: %w", cr.Line(), err)
		}
		out = append(out, p)
	}
}

// installed reports whether a Status field ("want flag status") says the
// package is installed, whatever the selection (install, hold, ...).
func installed(status string) bool {
	f := strings.Fields(status)
	return len(f) == 3 && f[1] == "ok" && f[2] == "installed"
}

// dpkgPackage reads one status record. Only the identity fields are parsed:
// a relation dpkg would reject must not hide an installed package.
func dpkgPackage(para debian.Paragraph) (Package, error) {
	p := Package{
		Ecosystem: Deb,
		Name:      para.Get("Package"),
		Version:   para.Get("Version"),
		Arch:      para.Get("Architecture"),
		Layer:     -1,
	}
	if _, err := debian.ParseVersion(p.Version); err != nil {
		return Package{}, fmt.Errorf("package %s: %w", p.Name, err)
	}
	p.Source, p.SourceVersion = p.Name, p.Version
	if src := para.Get("Source"); src != "" {
		name, ver, hasVer := strings.Cut(src, "(")
		p.Source = strings.TrimSpace(name)
		if hasVer {
			p.SourceVersion = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ver), ")"))
		}
	}
	return p, nil
}

// osReleaseScanner reads os-release(5) for the purl distro qualifier.
type osReleaseScanner struct{}

func (osReleaseScanner) wants(name string, _ *tar.Header) bool {
	return name == "etc/os-release" || name == "usr/lib/os-release"
}

func (osReleaseScanner) scan(name string, r io.Reader) (found, error) {
	data, err := io.ReadAll(bounded(r, maxOSRelease))
	if err != nil {
		return found{}, fmt.Errorf("reading /%s: %w", name, err)
	}
	return found{distro: DistroFromOSRelease(data)}, nil
}
