// Package testenv holds the helpers tests use to demand root, tools and the
// network, to start a real registry (Debian's docker-registry) on 127.0.0.1,
// and to download real .debs from the machine's Debian archive.
//
// Outside CI a missing requirement skips the test with the reason; with
// CI=true (CI runs as root with every tool installed) it fails it instead, so
// a broken CI image cannot pass silently. It is for tests only, not for
// production code.
package testenv
