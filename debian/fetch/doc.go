// Package fetch is ingot's download cache: files from a Debian mirror (pool
// .debs, Packages indexes) stored by SHA256 under the user's cache directory,
// downloaded in parallel with retries and verified before they enter the cache.
//
// A file is written to a temporary file in the cache directory while it is
// hashed, checked against the expected size and SHA256, and only then renamed
// into place, so a cache entry always holds the bytes its name promises, and
// two processes filling the same directory cannot corrupt it. Cache hits are
// re-verified; a corrupt entry is deleted and fetched again.
//
// It is not a general HTTP client and knows nothing about Debian: what to
// fetch and which digest to expect come from the caller (debian/repo, a lock
// file). Fetch downloads small unverified files (InRelease) whose trust is
// established by the caller, e.g. with an OpenPGP signature.
//
// The retry loop and progress display are hand-written: they are small, and
// the libraries that offer them pull in far more than they save.
package fetch
