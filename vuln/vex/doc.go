// Package vex records engineers' decisions about vulnerabilities (VEX: "this
// image is not affected by CVE-X because ..."), applies them to findings, and
// exchanges them as OpenVEX 0.2 documents.
//
// A Decision names a vulnerability and a scope: an image (by digest), a
// repository, a package (purl), or a package in one image or repository. When
// several decisions cover a finding the most specific wins (purl+image >
// image > purl+repository > repository > purl), then the latest. Decisions
// live in a SQLite file of their own (Store), next to the inventory by
// default: the inventory's schema belongs to package inventory.
//
// It does not match vulnerabilities (vuln) nor set priorities (vuln/priority).
package vex
