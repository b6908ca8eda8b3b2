// Package exposure says what an image's entrypoint actually loads: the ELF
// dependency closure of the entrypoint binary (DT_NEEDED resolved the way
// ld.so does, through DT_RPATH, DT_RUNPATH with $ORIGIN, LD_LIBRARY_PATH from
// the image config, /etc/ld.so.conf and its includes in the image, and the
// Debian multiarch defaults), each loaded file mapped to its Debian package
// through the dpkg file lists of the image, the module list of Go binaries,
// and the ports the image exposes. vuln/priority uses it to tell a library
// the service loads from one that merely sits on disk.
//
// Analyze streams the layers once, applying whiteouts, and keeps in memory
// only what the analysis needs: the file tree's names, types and symlink
// targets, a summary of each ELF file (needed names, search paths, soname,
// interpreter, Go build information; the file's bytes are dropped once it
// is summarised), the ld.so configuration and the dpkg file lists. Nothing is
// written to disk.
//
// It is not a loader: it does not read /etc/ld.so.cache (which a golden
// image rarely has; ld.so.conf gives the same directories), expand $PLATFORM,
// honour LD_PRELOAD, or see what a program loads at run time with dlopen
// (NSS modules, OpenSSL engines, Node addons). For a script entrypoint the
// closure is its "#!" interpreter's; what the script then runs is not seen.
package exposure
