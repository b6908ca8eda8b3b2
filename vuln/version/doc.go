// Package version compares package versions exactly as each ecosystem does and
// evaluates OSV ranges with them: dpkg for Debian, semantic versioning for Go
// modules and npm (and every OSV SEMVER range), PEP 440 for PyPI.
//
// It works on version strings only: it knows nothing of packages, images or
// feeds (see vuln). Parsers accept untrusted input and are fuzzed; a version
// a scheme cannot parse is an error wrapping ErrInvalid, never a guess.
package version
