// Package debian holds the core vocabulary of Debian's package archive: dpkg
// versions and their ordering, control files (Packages, Release, dpkg status),
// binary package records and dependency relations.
//
// It does no I/O of its own: fetching and verifying a repository lives in
// debian/repo, dependency resolution in debian/resolve, lock files in
// debian/lock and the download cache in debian/fetch. The control-file and
// version parsers are written here by hand because no maintained Go library
// implements dpkg's exact rules; they are fuzzed, and the version ordering is
// checked against dpkg itself.
package debian
