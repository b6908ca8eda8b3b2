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
// # Images built on images
//
// An image built on an app (FROM it; its lineage names the app as its base)
// is a target too, at depth 2, an image on that one at depth 3, and so on.
// Fleet rebases depth by depth: once the app has moved, each image on it is
// rebased from the app's old build onto the app's new one, both pinned by
// digest (rebase.Request OldBase and NewBase), so its lineage names the new
// build and the next update finds it on the new base. An image whose base
// failed is reported failed, naming the base, and is not touched, so it never
// lands on a half state; one whose base was skipped is skipped with the
// reason; in a dry run it is planned "after its base".
//
// # Safety
//
// Fleet rebases each image with rebase.Remote, which writes the new
// manifests by digest and moves the tag last, so a tag never names a
// partial image, and deletes nothing. An image whose lineage already names
// the new base is skipped (from the inventory when it knows, else from the
// image itself, which rebase.Remote reports unchanged), so a fleet rebase
// that was interrupted or failed half-way is simply run again: it continues
// with the images not done. An image on an app that the interrupted run
// moved follows the app's tag to its new build when the inventory's tag
// history shows the tag named the build the image is on (see Fleet). Every
// image's outcome is in the Report, and
// Fleet's error (ErrIncomplete) says how many are not done.
package update
