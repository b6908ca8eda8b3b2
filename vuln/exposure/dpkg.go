package exposure

import (
	"path"
	"strings"
)

// owners maps the real paths of files to the Debian package whose dpkg file
// list (var/lib/dpkg/info/<pkg>[:<arch>].list, or for a distroless status.d
// database var/lib/dpkg/status.d/<pkg>.md5sums) names them, for the real
// paths of want. A list names paths as the package ships them
// (/lib/x86_64-linux-gnu/libc.so.6), which on a merged-/usr image resolve
// elsewhere, so each candidate is resolved in the view.
func (v *view) owners(want map[string]bool) map[string]string {
	bases := map[string]bool{}
	for p := range want {
		bases[path.Base(p)] = true
	}
	out := map[string]string{}
	for k, n := range v.nodes {
		if n.body == nil {
			continue
		}
		var pkg string
		md5sums := false
		if name, ok := strings.CutPrefix(k, "var/lib/dpkg/info/"); ok && strings.HasSuffix(name, ".list") {
			pkg, _, _ = strings.Cut(strings.TrimSuffix(name, ".list"), ":")
		} else if name, ok := strings.CutPrefix(k, "var/lib/dpkg/status.d/"); ok && strings.HasSuffix(name, ".md5sums") {
			pkg, md5sums = strings.TrimSuffix(name, ".md5sums"), true
		} else {
			continue
		}
		for line := range strings.SplitSeq(string(n.body), "\n") {
			if md5sums { // "<md5>  usr/lib/x86_64-linux-gnu/libssl.so.3"
				_, f, ok := strings.Cut(line, "  ")
				if !ok {
					continue
				}
				line = "/" + f
			}
			if line == "" || !bases[path.Base(line)] {
				continue
			}
			if rp, ok := v.resolve(line); ok && want[rp] {
				if old, ok := out[rp]; !ok || pkg < old {
					out[rp] = pkg
				}
			}
		}
	}
	return out
}
