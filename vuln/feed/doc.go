// Package feed imports, downloads and stores vulnerability feeds, and loads
// them into an in-memory index for matching.
//
// It reads OSV records (one JSON file, a directory of them, or an
// ecosystem's all.zip) for the Debian, Go, npm and PyPI ecosystems, and the
// Debian security tracker's JSON (/tracker/data/json). Records become
// vuln.Advisory values, stored in a SQLite file (Store) so that import is
// idempotent and later runs are offline; Load reads them once into a DB, an
// index keyed by (ecosystem, package name) that vuln.Match uses.
//
// Feed URLs are never built in: Sync takes them from its caller (ingot reads
// INGOT_OSV_URL and INGOT_DEBIAN_TRACKER_URL). This package does not compare
// versions (vuln/version) nor decide what is vulnerable (vuln).
package feed
