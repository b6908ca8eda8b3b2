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

// layerScan is what reading one layer found: its whiteouts, the paths it
// holds that may replace lower files, and the files scanners found
// something in. It depends on the layer alone when names holds every path
// (see LayerCache).
type layerScan struct {
	whiteouts, opaques []string
	names              []string // paths of the layer that keep accepted
	added              map[string]found
}

// readLayer applies layer i on top of what is there: its whiteouts (OCI
// image-spec layer.md) remove lower files, its files replace them.
func (o *overlay) readLayer(ctx context.Context, i int, l v1.Layer) error {
	s, err := o.scanLayer(ctx, i, l, func(name string) bool { _, ok := o.files[name]; return ok })
	if err != nil {
		return err
	}
	o.apply(i, s)
	return nil
}

// scanLayer reads layer i's tar stream, keeping the paths keep accepts.
func (o *overlay) scanLayer(ctx context.Context, i int, l v1.Layer, keep func(name string) bool) (*layerScan, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, fmt.Errorf("opening the layer: %w", err)
	}
	defer rc.Close()
	s := &layerScan{added: map[string]found{}}
	tr := tar.NewReader(rc)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the layer's tar stream: %w", err)
		}
		name, ok := cleanName(h.Name)
		if !ok {
			continue
		}
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case base == whiteoutOpaque:
			s.opaques = append(s.opaques, dir)
			continue
		case strings.HasPrefix(base, whiteoutPrefix):
			s.whiteouts = append(s.whiteouts, path.Join(dir, base[len(whiteoutPrefix):]))
			continue
		}
		if keep(name) {
			s.names = append(s.names, name)
		}
		if h.Typeflag != tar.TypeReg || name == "" {
			continue
		}
		for _, sc := range o.scanners {
			if !sc.wants(name, h) {
				continue
			}
			f, err := sc.scan(name, tr)
			if err != nil {
				o.log.Warn("skipping a file the SBOM scanner cannot read", "layer", i, "path", "/"+name, "err", err)
			} else if len(f.pkgs) > 0 || f.distro != "" {
				s.added[name] = f
			}
			break
		}
	}
	return s, nil
}

// apply puts a scanned layer i on top of the file system.
func (o *overlay) apply(i int, s *layerScan) {
	var replaced []string
	for _, name := range s.names {
		if _, ok := o.files[name]; ok {
			replaced = append(replaced, name)
		}
	}
	for _, w := range s.whiteouts {
		o.remove(w, true)
	}
	for _, d := range s.opaques {
		o.remove(d, false)
	}
	for _, r := range replaced {
		delete(o.files, r)
	}
	maps.Copy(o.files, s.added)
	o.attribute(i)
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
			// A cached layer's findings serve many documents.
			p.Licenses, p.DependsOn = slices.Clone(p.Licenses), slices.Clone(p.DependsOn)
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
