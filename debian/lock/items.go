package lock

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian/fetch"
)

// Items turns the packages locked for arch into downloads: each pool file from
// the mirror mirrorFor returns for its suite (so security updates can come
// from a separate mirror), with the locked size and SHA256. No index is
// needed.
func (l *Lock) Items(mirrorFor func(suite string) string, arch string) []fetch.Item {
	pkgs := l.Arch(arch)
	items := make([]fetch.Item, 0, len(pkgs))
	for _, p := range pkgs {
		items = append(items, fetch.Item{
			URL:    strings.TrimSuffix(mirrorFor(p.Suite), "/") + "/" + p.Filename,
			Size:   p.Size,
			SHA256: p.SHA256,
			Name:   fmt.Sprintf("%s %s (%s)", p.Name, p.Version, p.Architecture),
		})
	}
	return items
}
