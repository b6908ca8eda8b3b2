// Package vuln is ingot's vulnerability model and exact matcher: advisories
// as the feeds state them (OSV records and the Debian security tracker), and
// findings, one per vulnerable package of an image, each with the fixed
// version, the status, and room for the priority and the reason that explain
// what to do about it.
//
// Match compares the packages of an sbom.Document with an Index (the feed
// store's in-memory index, vuln/feed) using each ecosystem's exact version
// rules (vuln/version): dpkg on the source package for Debian, semver for Go
// modules and npm, PEP 440 for PyPI. It does not fetch or store feeds
// (vuln/feed), read changelogs, weigh exposure or set priorities
// (vuln/changelog, vuln/exposure, vuln/priority), nor apply VEX decisions
// (vuln/vex).
package vuln
