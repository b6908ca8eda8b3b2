package sbom

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// A scanner recognises the files it understands and reads packages from
// them. wants sees every regular file; scan reads the one it wanted, from a
// stream that it must bound itself.
type scanner interface {
	wants(name string, h *tar.Header) bool
	scan(name string, r io.Reader) (found, error)
}

// found is what one file says: packages, or the distribution (os-release).
type found struct {
	pkgs   []Package
	distro string
}

// pkgKey identifies a package at a location, for attribution to layers.
type pkgKey struct{ eco, name, version, arch, loc string }

// overlay is the union file system of the layers read so far, reduced to the
// files scanners found something in.
type overlay struct {
	log      *slog.Logger
	scanners []scanner
	files    map[string]found // clean relative path -> what it holds
	intro    map[pkgKey]int   // package -> layer it was introduced in
}

func newOverlay(log *slog.Logger) *overlay {
	return &overlay{
		log:      log,
		scanners: []scanner{dpkgScanner{}, osReleaseScanner{}, npmScanner{}, pythonScanner{}, goScanner{}},
		files:    map[string]found{},
		intro:    map[pkgKey]int{},
	}
}

const (
	whiteoutPrefix = ".wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// readLayer applies layer i on top of what is there: its whiteouts (OCI
// image-spec layer.md) remove lower files, its files replace them.
func (o *overlay) readLayer(ctx context.Context, i int, l v1.Layer) error {
	rc, err := l.Uncompressed()
	if err != nil {
		return fmt.Errorf("opening the layer: %w", err)
	}
	defer rc.Close()
	var whiteouts, opaques, replaced []string
	added := map[string]found{}
	tr := tar.NewReader(rc)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the layer's tar stream: %w", err)
		}
		name, ok := cleanName(h.Name)
		if !ok {
			continue
		}
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case base == whiteoutOpaque:
			opaques = append(opaques, dir)
			continue
		case strings.HasPrefix(base, whiteoutPrefix):
			whiteouts = append(whiteouts, path.Join(dir, base[len(whiteoutPrefix):]))
			continue
		}
		if _, ok := o.files[name]; ok {
			replaced = append(replaced, name)
		}
		if h.Typeflag != tar.TypeReg || name == "" {
			continue
		}
		for _, s := range o.scanners {
			if !s.wants(name, h) {
				continue
			}
			f, err := s.scan(name, tr)
			if err != nil {
				o.log.Warn("skipping a file the SBOM scanner cannot read", "layer", i, "path", "/"+name, "err", err)
			} else if len(f.pkgs) > 0 || f.distro != "" {
				added[name] = f
			}
			break
		}
	}
	for _, w := range whiteouts {
		o.remove(w, true)
	}
	for _, d := range opaques {
		o.remove(d, false)
	}
	for _, r := range replaced {
		delete(o.files, r)
	}
	maps.Copy(o.files, added)
	o.attribute(i)
	return nil
}

// remove forgets the files under dir, and dir itself if self.
func (o *overlay) remove(dir string, self bool) {
	if self {
		delete(o.files, dir)
	}
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	for p := range o.files {
		if strings.HasPrefix(p, prefix) {
			delete(o.files, p)
		}
	}
}

// attribute records, after layer i, which layer introduced each package
// present: the layer of its first appearance since it was last absent.
func (o *overlay) attribute(i int) {
	next := make(map[pkgKey]int, len(o.intro))
	for loc, f := range o.files {
		for _, p := range f.pkgs {
			k := keyOf(p, loc)
			if l, ok := o.intro[k]; ok {
				next[k] = l
			} else {
				next[k] = i
			}
		}
	}
	o.intro = next
}

func keyOf(p Package, loc string) pkgKey {
	return pkgKey{p.Ecosystem, p.Name, p.Version, p.Arch, loc}
}

// distro is the purl distro qualifier from os-release: /etc first, as
// os-release(5) says.
func (o *overlay) distro() string {
	for _, p := range []string{"etc/os-release", "usr/lib/os-release"} {
		if d := o.files[p].distro; d != "" {
			return d
		}
	}
	return ""
}

// packages lists what the final file system holds, once per location.
func (o *overlay) packages(distro string) []Package {
	var out []Package
	for _, loc := range slices.Sorted(maps.Keys(o.files)) {
		seen := map[pkgKey]bool{}
		for _, p := range o.files[loc].pkgs {
			k := keyOf(p, loc)
			if seen[k] {
				continue
			}
			seen[k] = true
			p.Layer = o.intro[k]
			p.Locations = []string{"/" + loc}
			if p.Ecosystem == Deb {
				p.PURL = DebPURL(p.Name, p.Version, p.Arch, distro, p.Source)
			}
			out = append(out, p)
		}
	}
	return out
}

// cleanName turns a tar entry name into a clean path relative to the root
// ("" for the root itself); ok is false for names that leave the root.
func cleanName(name string) (string, bool) {
	p := path.Clean("/" + name)
	if strings.Contains(name, "\x00") {
		return "", false
	}
	// Clean on a rooted path drops every "..", so check the raw name.
	if slices.Contains(strings.Split(name, "/"), "..") {
		return "", false
	}
	return strings.TrimPrefix(p, "/"), true
}
