// Package ref splits image references as ingot writes and stores them
// ("repository:tag", "repository@digest", "repository:tag@digest", a bare
// "sha256:..." digest, or a bare repository) into their parts, by string
// rules alone: the digest is everything after the first "@", the tag
// everything after the last ":" that follows the last "/" (so a registry
// port is never taken for a tag).
//
// It is for the inventory, rebase and update, which compare references the
// inventory already holds. It is not for validating or normalising
// references typed by a user or read from an image (it neither checks the
// syntax nor adds "docker.io/library/" or ":latest"): use
// go-containerregistry's name package for that.
package ref

import "strings"

// StripDigest drops "@digest" (everything from the first "@") from ref.
func StripDigest(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// Repository drops the digest and the tag from ref:
// "reg.test:5000/golden/base:1@sha256:..." gives "reg.test:5000/golden/base".
func Repository(ref string) string {
	repo, _ := cutTag(StripDigest(ref))
	return repo
}

// HasTag reports whether ref is "repository:tag" (an empty tag, "repo:",
// counts), not "repository@digest" (with or without a tag before the "@")
// nor a bare repository.
func HasTag(ref string) bool {
	if strings.Contains(ref, "@") {
		return false
	}
	return tagIndex(ref) >= 0
}

// Split splits the references the inventory resolves:
//
//   - "sha256:..." or "sha512:..." (a digest in any repository): digest only;
//   - "name@digest": name as written, a tag in it kept ("repo:1@sha256:..."
//     gives name "repo:1"), and digest;
//   - "repository:tag": repository and tag;
//   - "repository": repository only.
func Split(ref string) (name, digest, tag string) {
	if strings.HasPrefix(ref, "sha256:") || strings.HasPrefix(ref, "sha512:") {
		return "", ref, ""
	}
	if n, d, ok := strings.Cut(ref, "@"); ok {
		return n, d, ""
	}
	if i := tagIndex(ref); i >= 0 {
		return ref[:i], "", ref[i+1:]
	}
	return ref, "", ""
}

// cutTag splits "repository:tag" at the tag's ":"; a ref without a tag is
// returned whole, with tag "" ("repo:" gives "repo" and "").
func cutTag(ref string) (repo, tag string) {
	if i := tagIndex(ref); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}

// tagIndex returns the index of the ":" starting ref's tag, or -1.
func tagIndex(ref string) int {
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return i
	}
	return -1
}
