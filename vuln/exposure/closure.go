package exposure

import (
	"path"
	"slices"
	"strings"
)

// loaded is one object of the closure during the walk.
type loaded struct {
	path    string // real path, relative
	info    *elfInfo
	chain   []string
	loaders []*loaded // the objects that led to this one, program first
}

// searchPaths are the directories ld.so would search, in order, for the
// needed names of obj (glibc's rules): DT_RPATH of obj and then of its
// loaders when obj has no DT_RUNPATH, LD_LIBRARY_PATH, DT_RUNPATH of obj,
// the ld.so configuration, the multiarch and traditional defaults.
func searchPaths(obj *loaded, ldLibraryPath, conf []string, triplet string) []string {
	var dirs []string
	add := func(o *loaded, ds []string) {
		origin := "/" + path.Dir(o.path)
		for _, d := range ds {
			d = strings.ReplaceAll(d, "${ORIGIN}", origin)
			d = strings.ReplaceAll(d, "$ORIGIN", origin)
			d = strings.ReplaceAll(d, "${LIB}", "lib/"+triplet)
			d = strings.ReplaceAll(d, "$LIB", "lib/"+triplet)
			if path.IsAbs(d) {
				dirs = append(dirs, path.Clean(d))
			}
		}
	}
	if len(obj.info.runpath) == 0 {
		add(obj, obj.info.rpath)
		for i := len(obj.loaders) - 1; i >= 0; i-- {
			if l := obj.loaders[i]; len(l.info.runpath) == 0 {
				add(l, l.info.rpath)
			}
		}
	}
	dirs = append(dirs, ldLibraryPath...)
	add(obj, obj.info.runpath)
	dirs = append(dirs, conf...)
	dirs = append(dirs, "/lib/"+triplet, "/usr/lib/"+triplet, "/lib", "/usr/lib")
	return dirs
}

// closure walks the DT_NEEDED graph from the program breadth-first.
func (v *view) closure(progPath string, prog *elfInfo, ldLibraryPath, conf []string, triplet string) (files []*loaded, missing []string) {
	root := &loaded{path: progPath, info: prog, chain: []string{"/" + progPath}}
	files = []*loaded{root}
	byPath := map[string]bool{progPath: true}
	bySoname := map[string]bool{}
	if prog.interp != "" {
		if rp, n, ok := v.file(prog.interp); ok && n.elf != nil {
			byPath[rp] = true
			if n.elf.soname != "" {
				bySoname[n.elf.soname] = true
			}
			files = append(files, &loaded{path: rp, info: n.elf, chain: []string{root.chain[0], prog.interp}, loaders: []*loaded{root}})
		}
	}
	queue := []*loaded{root}
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		var dirs []string
		for _, name := range obj.info.needed {
			if bySoname[name] {
				continue
			}
			var rp string
			var n *node
			found := false
			if strings.Contains(name, "/") {
				rp, n, found = v.file(name)
				found = found && n.elf != nil
			} else {
				if dirs == nil {
					dirs = searchPaths(obj, ldLibraryPath, conf, triplet)
				}
				for _, d := range dirs {
					rp, n, found = v.file(path.Join(d, name))
					if found && n.elf != nil && n.elf.class == prog.class && n.elf.machine == prog.machine {
						break
					}
					found = false
				}
			}
			if !found {
				if !slices.Contains(missing, name) {
					missing = append(missing, name)
				}
				continue
			}
			bySoname[name] = true
			if n.elf.soname != "" {
				bySoname[n.elf.soname] = true
			}
			if byPath[rp] {
				continue
			}
			byPath[rp] = true
			l := &loaded{path: rp, info: n.elf, chain: append(slices.Clip(obj.chain), name), loaders: append(slices.Clip(obj.loaders), obj)}
			files = append(files, l)
			queue = append(queue, l)
		}
	}
	return files, missing
}
