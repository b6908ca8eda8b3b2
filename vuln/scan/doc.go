// Package scan joins ingot's vulnerability pieces into the two things users
// run: Scan, which takes one image from its SBOM to prioritised findings with
// VEX decisions applied (ingot scan), and Assay, which re-matches every
// image of the inventory against the current feeds and reports by owner
// (ingot assay).
//
// Matching is vuln's, changelogs vuln/changelog's, priorities vuln/priority's
// and decisions vuln/vex's: this package only orders the steps and shares
// their expensive state (one feed index, one matcher, one decision index)
// across images. It does not open images or stores; callers hand them in.
package scan
