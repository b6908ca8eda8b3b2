// Package rebase moves an application image from the base it was built on
// to a newer build of that base without rebuilding the application and
// without uploading its layers again: the image's own layers are kept
// byte for byte and put on top of the new base's layers.
//
// It is for golden images and the apps built on them (ingot's lineage says
// which layers are the base's), and for any image whose old base is named
// (an image built FROM a Debian image). It is not for rebuilding images, for
// choosing which images to rebase (see the inventory's dependents), nor for
// deciding which base is newer.
//
// Plan checks and reports what would change, or why the rebase is refused;
// Image and Index return the rebased image or index as new values (like
// go-containerregistry's mutate.Rebase, which checks the layers but drops
// the new base's Env, created time, variant and annotations); Write puts
// the result in a registry, SBOM composes the new SBOM and Undo moves a tag
// back.
//
// # Checks
//
// A rebase is refused (the error wraps ErrNotOnBase, ErrPlatform or
// ErrOtherBase) unless:
//
//   - the image's bottom layers are exactly the old base's layers, by diffID.
//     The old base is the image given as oldBase (--old-base), else the
//     layers ingot's lineage marks as base layers. The error names the first
//     layer that differs: its index, the expected and the found diffID.
//   - the image, the old base and the new base have the same OS,
//     architecture and variant (arm64 without a variant counts as v8).
//   - the new base is a build of the same golden image as the old one: the
//     same org.opencontainers.image.title (manifest annotation or config
//     label) when both have one, else the same repository. WithForce accepts
//     another base and records a warning in the Change instead.
//
// An image whose old base already is the new base (same diffIDs) is
// reported Unchanged and returned as it is.
//
// # The new config
//
// The app's config is the starting point; what the app inherited from the
// old base is replaced by what the new base has:
//
//   - Env is merged by key, in the new base's order, then the app's own keys
//     in its order. A key whose app value equals the old base's value (the
//     app inherited it, e.g. PATH) takes the new base's value, or is dropped
//     if the new base dropped it; a key the app set to its own value, or that
//     the old base did not have, keeps the app's value; a key only the new
//     base has is added. Without the old base's config (lineage only) the app
//     keeps every value it has and only new keys are added; the Change then
//     carries a warning.
//   - User and labels follow the same rule (labels merged by key).
//   - Entrypoint, Cmd, WorkingDir, exposed ports, volumes, stop signal and
//     health check are the app's, unchanged.
//   - OS, architecture and variant are the app's (checked equal); OS version
//     and features are the new base's.
//   - History is the new base's history, then the app's own entries (the
//     app's history after the entries that describe the old base's layers).
//   - Created is the later of the app's and the new base's created times: a
//     rebased image is never older than what it contains, and the same inputs
//     always give the same digest, so a rerun of an interrupted rebase writes
//     nothing new.
//   - ingot's lineage (label dev.ingot.lineage and annotation
//     dev.ingot.layers) lists the new base's layers marked base, with their
//     names, owners and packages from the new base's lineage, then the app's
//     layer records unchanged; its base name and digest name the new base.
//
// # Annotations
//
// The manifest keeps the app's annotations, with
// org.opencontainers.image.base.name and base.digest pointing at the new
// base (the platform manifest for an image, the index for an index),
// org.opencontainers.image.created set to the new created time when the app
// had it, and dev.ingot.layers rewritten. Layer descriptors keep their
// annotations: the new base's for base layers, the app's for its own.
//
// # Indexes
//
// Index rebases every platform of the index, pairing each with the image for
// the same platform in the new base's index (and in the old base's, when
// given); a platform the new base lacks is an error naming it.
//
// # Registry writes
//
// Write uploads only what is new, with as few requests as the registry
// allows: a config and a manifest per platform and the index. Its Pusher
// speaks the distribution API itself over go-containerregistry's
// authenticated transport, because go-containerregistry's writer checks
// that a blob exists before every mount and uploads a config in three
// requests. Layers already in the target repository (the app's own, and
// base layers the old manifest there references, or that Blobs knows were
// mounted) are neither checked nor touched: the registry checks that every
// blob exists when a manifest is put. Layers of another repository on the
// same registry (the new base's) are mounted with one request each, never
// uploaded again (a registry that cannot mount opens an upload, and the
// layer is streamed into it); the config is one monolithic upload (one
// POST, plus a PUT on registries such as docker-registry that ask for it);
// each manifest is one PUT. Non-distributable layers are skipped; a layer
// from another registry is left to go-containerregistry. An index's
// platform manifests are put by digest before the index, so a tag never
// names a partial image. Transient failures (429, 502, 503, 504, a broken
// connection) are retried twice by default (WithRetries). A fleet shares
// one Blobs (WithBlobs), one Pusher (WithPusher: an authenticated
// transport per repository) and one go-containerregistry puller, so each
// blob of each repository is handled once. Auth and transport are given
// with WithKeychain and WithTransport, which reach reads and writes alike.
//
// Remote does a whole rebase in a registry: it reads the image and the
// bases (the old base named by the lineage is read by digest, when
// reachable, for the config values the app inherited), builds the result,
// writes it with Write, attaches the new SBOMs, moves the tag, and records
// the images in the inventory. With SBOMs the manifests are written by
// digest, the SBOMs attached to them, and the tag moved last by one PUT;
// without, the result is written to the tag at once. An image already on
// the new base is reported Unchanged and nothing is written, so rerunning an
// interrupted rebase is safe. Nothing is ever deleted.
//
// # SBOM
//
// SBOM composes the rebased image's document without reading a layer: the
// new base's document (its layers and packages), then the app's own layers
// and the packages they introduced (from the app's old document, with layer
// indexes moved by the difference in base layer counts). Remote gets the
// documents by inspecting the images (sbom.FromImage) unless given
// WithBaseSBOM / WithAppSBOM; InventorySBOM reads the app's document from the
// inventory, for fleets. The result is attached as SPDX and CycloneDX
// referrers of each platform manifest, through the Pusher: per manifest,
// each document is one monolithic upload and its artifact manifest (the
// bytes sbom.Attach would put) one PUT; the empty config is uploaded once
// per repository (Blobs), and the subject is not looked up. A registry
// without the referrers API (no OCI-Subject in its answer) gets the
// referrers tag schema's index ("sha256-<hex>") read and written once for
// both documents, as go-containerregistry writes it; a rerun adds only
// what it lacks.
//
// # Undo
//
// Before Remote moves a tag it records where the tag pointed (the old image)
// in the inventory, then the new image; the inventory's tag history is what
// Undo reads to move the tag back to the digest before its latest move.
package rebase
