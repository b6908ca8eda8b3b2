package layer

import (
	"archive/tar"
	"strings"
)

// mergedDirs are the top-level directories merged-/usr moves under usr/.
var mergedDirs = map[string]bool{"bin": true, "sbin": true, "lib": true, "lib32": true, "lib64": true, "libx32": true, "libo32": true}

// MergedUsrLinks returns the top-level symlinks of a merged-/usr root for a
// Debian architecture ("bin -> usr/bin", ...) and the usr/ directories they
// point to, exactly as debootstrap's setup_merged_usr creates them for
// bookworm: bin, sbin and lib everywhere, plus lib32, lib64 and libx32 on
// amd64, lib64 and libx32 on i386, lib64 on ppc64el, lib32 on s390x, lib32
// and lib64 on mips/mipsel and ppc64, and so on; nothing extra on arm64,
// armhf, armel or riscv64. Trixie's base-files ships some of these links
// itself; adding both is fine, identical symlinks do not conflict.
//
// Add them to the lowest layer only: layers above inherit them.
func MergedUsrLinks(arch string) []Entry {
	extra := map[string][]string{
		"amd64":   {"lib32", "lib64", "libx32"},
		"i386":    {"lib64", "libx32"},
		"mips":    {"lib32", "lib64"},
		"mipsel":  {"lib32", "lib64"},
		"powerpc": {"lib64"},
		"ppc64":   {"lib32", "lib64"},
		"ppc64el": {"lib64"},
		"s390x":   {"lib32"},
		"sparc":   {"lib64"},
		"sparc64": {"lib32", "lib64"},
		"x32":     {"lib32", "lib64", "libx32"},
	}[arch]
	if strings.HasPrefix(arch, "mips64") || strings.HasPrefix(arch, "mipsn32") {
		extra = []string{"lib32", "lib64", "libo32"}
	}
	var out []Entry
	for _, d := range append([]string{"bin", "sbin", "lib"}, extra...) {
		out = append(out,
			Entry{Path: "usr/" + d, Type: tar.TypeDir, Mode: 0o755},
			Entry{Path: d, Type: tar.TypeSymlink, Mode: 0o777, Linkname: "usr/" + d})
	}
	return out
}

// MergedPath returns where a package path lands on a merged-/usr system,
// as a Builder with WithMergedUsr(true) places it: "bin/sh" is
// "usr/bin/sh", "lib" is "usr/lib"; other paths are unchanged.
func MergedPath(p string) string {
	m, _ := mergeUsr(p)
	return m
}

// mergeUsr returns p as it lies on a merged-/usr system ("lib/x" ->
// "usr/lib/x"), and whether it was moved.
func mergeUsr(p string) (string, bool) {
	top, _, _ := strings.Cut(p, "/")
	if !mergedDirs[top] {
		return p, false
	}
	return "usr/" + p, true
}

// isMergedLink reports whether e is one of the top-level merged-/usr
// symlinks itself ("bin -> usr/bin" or "bin -> /usr/bin").
func isMergedLink(e Entry) bool {
	return e.Type == tar.TypeSymlink && mergedDirs[e.Path] &&
		strings.TrimPrefix(strings.TrimPrefix(e.Linkname, "/"), "./") == "usr/"+e.Path
}
