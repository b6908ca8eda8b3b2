package sbom

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// Build is what a golden build knows about one image, the input of
// FromBuild.
type Build struct {
	// Image is the built image: name, digest, platform, created time,
	// owner, layers (with names and owners) and base. Distro is derived
	// when empty.
	Image Image
	// Suite is the Debian suite the packages came from ("bookworm"); used
	// for the purl distro when the image has no /etc/os-release.
	Suite    string
	Packages []BuildPackage
	// ReadFile reads a file of the image's final root filesystem by its
	// path without a leading slash, following symbolic links; it returns an
	// error wrapping fs.ErrNotExist for a missing file. Nil means the build
	// has no files to offer: no licences.
	ReadFile func(name string) ([]byte, error)
}

// BuildPackage is one Debian binary package a build installed.
type BuildPackage struct {
	Name          string
	Version       string
	Arch          string // "amd64", "all"
	Source        string // source package; "" means Name
	SourceVersion string // "" means Version
	SHA256        string // of the .deb
	Maintainer    string // "Name <email>"
	// Depends are the package's Depends and Pre-Depends as alternatives:
	// [["libc6"], ["debconf", "debconf-2.0"]]. The first alternative that is
	// installed in the image is recorded.
	Depends [][]string
	Layer   int // index into Image.Layers
}

// StatusLocation is where dpkg records installed packages.
const StatusLocation = "/var/lib/dpkg/status"

// FromBuild makes the Document of a built image: every package with its
// purl (distro debian-<major>), source, .deb SHA256, layer, maintainer,
// installed dependencies and the licences of its machine-readable
// copyright file. It reads only through b.ReadFile.
func FromBuild(b Build) (*Document, error) {
	d := &Document{Image: b.Image}
	d.Image.Layers = append([]Layer(nil), b.Image.Layers...)
	d.Image.Tags = append([]string(nil), b.Image.Tags...)
	if d.Image.Distro == "" {
		distro, err := buildDistro(b)
		if err != nil {
			return nil, err
		}
		d.Image.Distro = distro
	}
	installed := map[string]bool{}
	for _, p := range b.Packages {
		installed[p.Name] = true
	}
	for _, p := range b.Packages {
		if p.Name == "" || p.Version == "" {
			return nil, fmt.Errorf("building the SBOM of %s: a package has no name or version (%q %q)", imageName(d), p.Name, p.Version)
		}
		if p.Layer < 0 || p.Layer >= len(d.Image.Layers) {
			return nil, fmt.Errorf("building the SBOM of %s: package %s is in layer %d, but the image has %d layers", imageName(d), p.Name, p.Layer, len(d.Image.Layers))
		}
		src := cmp.Or(p.Source, p.Name)
		srcVer := cmp.Or(p.SourceVersion, p.Version)
		pkg := Package{
			Ecosystem:     Deb,
			Name:          p.Name,
			Version:       p.Version,
			Arch:          p.Arch,
			Source:        src,
			SourceVersion: srcVer,
			PURL:          DebPURL(p.Name, p.Version, p.Arch, d.Image.Distro, src),
			SHA256:        p.SHA256,
			Layer:         p.Layer,
			Locations:     []string{StatusLocation},
			Supplier:      p.Maintainer,
		}
		for _, alts := range p.Depends {
			for _, a := range alts {
				if installed[a] && a != p.Name {
					pkg.DependsOn = append(pkg.DependsOn, a)
					break
				}
			}
		}
		if b.ReadFile != nil {
			data, err := b.ReadFile("usr/share/doc/" + p.Name + "/copyright")
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				return nil, fmt.Errorf("reading the copyright file of %s: %w", p.Name, err)
			default:
				pkg.Licenses = CopyrightLicenses(data)
			}
		}
		d.Packages = append(d.Packages, pkg)
	}
	d.Sort()
	return d, nil
}

// buildDistro is "debian-<major>" from the image's os-release, else from
// the suite; "" when neither says.
func buildDistro(b Build) (string, error) {
	if b.ReadFile != nil {
		for _, name := range []string{"etc/os-release", "usr/lib/os-release"} {
			data, err := b.ReadFile(name)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("reading /%s: %w", name, err)
			}
			if d := DistroFromOSRelease(data); d != "" {
				return d, nil
			}
		}
	}
	suite, _, _ := strings.Cut(b.Suite, "-") // bookworm-updates, bookworm-security
	suite, _, _ = strings.Cut(suite, "/")    // bookworm/updates
	if m, ok := DebianMajor(suite); ok {
		return "debian-" + m, nil
	}
	return "", nil
}

// osReleaseWord is what os-release allows in ID (and what a purl distro
// qualifier can carry unescaped).
var osReleaseWord = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// DistroFromOSRelease returns the purl distro qualifier of an os-release
// file, "<ID>-<VERSION_ID>" ("debian-12", "ubuntu-24.04"), or "" when it
// does not say. Debian's is its major release ("debian-13" for a "13.1");
// testing and unstable have no VERSION_ID, so their VERSION_CODENAME is used
// ("debian-forky"), which vuln.DebianRelease maps to the major. A bare ID
// gives "": a distro without a release matches no feed, and FromBuild then
// falls back to the suite.
func DistroFromOSRelease(data []byte) string {
	fields := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		fields[k] = strings.Trim(v, `"'`)
	}
	id := strings.ToLower(fields["ID"])
	ver := strings.ToLower(fields["VERSION_ID"])
	if ver == "" {
		ver = strings.ToLower(fields["VERSION_CODENAME"])
	}
	if id == "debian" {
		ver, _, _ = strings.Cut(ver, ".")
	}
	if !osReleaseWord.MatchString(id) || !osReleaseWord.MatchString(ver) {
		return ""
	}
	return id + "-" + ver
}
