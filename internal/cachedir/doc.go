// Package cachedir measures and prunes ingot's cache directory
// (fetch.DefaultDir(): $INGOT_CACHE_DIR, else ~/.cache/ingot), which
// otherwise grows without bound. Its areas are:
//
//	sha256/xx/<sum>                  downloads by SHA256 (debian/fetch)
//	parsed/v<format>.<parser>/xx/... parsed Debian indexes (debian/repo); only
//	                                 repo.ParsedCacheDir() is read by this ingot
//	layers/xx/<key>/                 encoded layers of built images (build)
//	tmp/                             downloads in progress, entries being removed
//
// An entry's last use is its modification time: it is written with the
// current time and set again on every hit (fetch.Touch, at most once an
// hour). Measure reports, per area, the entries, their bytes and their
// oldest and newest last use; Prune removes entries not used for a while,
// the parsed indexes of other ingot versions, and temporaries left behind.
//
// Pruning is safe while other ingot processes use the cache: an entry is
// one file, removed at once, or one directory (a layer-cache entry), first
// renamed aside into tmp/ so no reader ever sees half of it; a reader that
// finds an entry gone takes it as a miss and builds or fetches it again.
// Symlinks are never followed, nothing outside the directory is touched,
// and a directory that does not look like an ingot cache is refused.
//
// It is not a cache itself: it reads no entry's content, and the packages
// that own each area decide what an entry holds and whether it is valid.
package cachedir
