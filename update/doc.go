// Package update patches a golden image and its fleet: it refreshes a
// spec's lock to the newest packages of its suites and says what changed and
// which CVEs that closes (Refresh), rebuilds and pushes the base from the new
// lock (Rebuild), finds the images of the inventory built on an older build
// of that base (Targets) and rebases them in parallel with a bound (Fleet).
//
// # CVEs per image
//
// Refresh names the CVEs the lock update closes: those of the changed
// packages' changelogs between the old lock's version and the new one. An
// image closes what changed since the base build it is on, which can be more
// (it is on an older build) or less (its architecture lacks a changed
// package). LockUpdate.TargetCVEs computes that once per base build, from the
// build's packages in the inventory and the changelogs Refresh read (else
// those of .debs already in the download cache); a target on a base build the
// inventory does not know gets the lock update's CVEs.
//
// It orchestrates; it does not resolve packages (debian/lock), build images
// (build), rebase one image (rebase) or store lineage (inventory).
//
// # Safety
//
// Fleet rebases each image with rebase.Remote, which writes the new
// manifests by digest and moves the tag last, so a tag never names a
// partial image, and deletes nothing. An image whose lineage already names
// the new base is skipped (from the inventory when it knows, else from the
// image itself, which rebase.Remote reports unchanged), so a fleet rebase
// that was interrupted or failed half-way is simply run again: it continues
// with the images not done. Every image's outcome is in the Report, and
// Fleet's error (ErrIncomplete) says how many are not done.
package update
