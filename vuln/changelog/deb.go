package changelog

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"path"
	"strings"

	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/image/layer"
)

// FromDeb returns the changelog entries a .deb ships for pkg, newest first:
// those of usr/share/doc/<pkg>/changelog.Debian.<arch>.gz (a binNMU's own
// entry, which Debian ships beside the source's changelog) followed by those
// of changelog.Debian.gz. When the package's doc directory holds neither
// (it may be a symlink to another package's), the first changelog.Debian.gz
// of any doc directory of the archive is used. found is false when the
// archive has no changelog at all.
func FromDeb(a *deb.Archive, pkg, arch string) (entries []Entry, found bool, err error) {
	files := map[string]layer.Entry{}
	for _, e := range a.Entries {
		if e.Type == tar.TypeReg && strings.HasPrefix(e.Path, "usr/share/doc/") {
			files[e.Path] = e
		}
	}
	dir := "usr/share/doc/" + pkg + "/"
	main, okMain := files[dir+"changelog.Debian.gz"]
	if !okMain {
		for _, e := range a.Entries { // archive order: deterministic
			if e.Type == tar.TypeReg && path.Base(e.Path) == "changelog.Debian.gz" && strings.Count(e.Path, "/") == 4 {
				main, okMain = e, true
				break
			}
		}
	}
	binNMU, okNMU := files[dir+"changelog.Debian."+arch+".gz"]
	if !okNMU && okMain {
		binNMU, okNMU = files[path.Dir(main.Path)+"/changelog.Debian."+arch+".gz"]
	}
	for _, f := range []struct {
		e  layer.Entry
		ok bool
	}{{binNMU, okNMU}, {main, okMain}} {
		if !f.ok {
			continue
		}
		got, err := parseGzip(f.e.Body)
		if err != nil {
			return nil, true, fmt.Errorf("reading /%s of %s: %w", f.e.Path, pkg, err)
		}
		entries = append(entries, got...)
	}
	return entries, okMain || okNMU, nil
}

func parseGzip(b []byte) ([]Entry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	defer zr.Close()
	return Parse(zr)
}
