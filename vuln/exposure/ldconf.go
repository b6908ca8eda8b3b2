package exposure

import (
	"path"
	"slices"
	"strings"
)

// ldConfDirs returns the directories of the image's /etc/ld.so.conf, with its
// include directives expanded (globs relative to /etc), in order.
func (v *view) ldConfDirs() []string {
	var dirs []string
	seen := map[string]bool{}
	var read func(p string, depth int)
	read = func(p string, depth int) {
		if depth > 8 || seen[p] {
			return
		}
		seen[p] = true
		_, n, ok := v.file(p)
		if !ok || n.body == nil {
			return
		}
		for line := range strings.SplitSeq(string(n.body), "\n") {
			if i := strings.IndexByte(line, '#'); i >= 0 {
				line = line[:i]
			}
			f := strings.Fields(line)
			if len(f) == 0 {
				continue
			}
			if f[0] == "include" {
				for _, pat := range f[1:] {
					if !path.IsAbs(pat) {
						pat = path.Join("/etc", pat)
					}
					for _, m := range v.glob(pat) {
						read(m, depth+1)
					}
				}
				continue
			}
			for _, d := range f {
				if path.IsAbs(d) && !slices.Contains(dirs, path.Clean(d)) {
					dirs = append(dirs, path.Clean(d))
				}
			}
		}
	}
	read("/etc/ld.so.conf", 0)
	// Debian's ld.so.conf includes ld.so.conf.d/*.conf; an image without
	// ld.so.conf (a golden image built without libc-bin's conffile) still
	// gets the directories its packages configure.
	for _, m := range v.glob("/etc/ld.so.conf.d/*.conf") {
		read(m, 1)
	}
	return dirs
}

// glob returns the kept files matching an absolute pattern, sorted.
func (v *view) glob(pattern string) []string {
	var out []string
	for k, n := range v.nodes {
		if n.body == nil {
			continue
		}
		if ok, _ := path.Match(pattern, "/"+k); ok {
			out = append(out, "/"+k)
		}
	}
	slices.Sort(out)
	return out
}
