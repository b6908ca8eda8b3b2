// Package repo is ingot's verified Debian repository client: it fetches a
// suite's InRelease (or, like apt, Release with Release.gpg when there is no
// InRelease), checks its OpenPGP signature against a keyring and its
// Valid-Until date, and then fetches Packages indexes through the download
// cache with the size and SHA256 the signed Release promises, so nothing
// from the mirror is parsed before it is verified (indexes are asked for by
// hash when the Release offers it, so a mirror mid-sync cannot mismatch). Decompressed indexes are
// verified against the Release too and kept in the cache, so a warm run
// downloads only the InRelease files and decompresses nothing. What the
// parser makes of each verified index is cached too (the parsed-index
// cache, keyed by the index's SHA256 from the signed Release, holding
// references into that index rather than text of its own; see parsed.go),
// so a warm run does not parse 63k records per architecture again. It also
// reads the machine's apt configuration to find the Debian mirror
// (SystemSource).
//
// It is not apt: there is no pinning, no translation or Contents indexes,
// no source packages. Downloads, retries and the
// cache belong to debian/fetch; choosing packages to debian/resolve.
//
// The sources.list and deb822 .sources readers are hand-written because no
// maintained Go library parses apt's configuration; they are small and
// fuzzed. Signature checking uses ProtonMail/go-crypto.
package repo
