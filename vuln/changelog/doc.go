// Package changelog reads Debian changelogs (the debian/changelog format that
// packages ship as usr/share/doc/<pkg>/changelog.Debian.gz) and answers, from
// nothing but a Debian mirror, which CVEs an available update closes: Closes
// downloads the newer .deb of each package of an image, reads the changelog
// inside it, and lists the CVE identifiers named by the uploads between the
// installed and the candidate version, with each upload's urgency.
//
// The result serves `ingot update` ("what does this update close") and the
// matcher: Findings turns it into vuln.Findings (the installed version is
// affected by what the newer one fixes), useful on air-gapped sites that have
// a mirror but no security feeds.
//
// It is not a feed: a changelog only names what an update fixes, not what
// stays unfixed, and says nothing about packages without a newer version.
// Parsing is hand-written (no Go library reads the format); it follows
// dpkg-parsechangelog's rules, is bounded and fuzzed.
package changelog
