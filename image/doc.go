// Package image assembles reproducible OCI images and indexes from prebuilt
// layers and writes them out: as an OCI image layout directory, as a
// `docker load`-able tarball, or pushed to a registry.
//
// It records ingot's lineage in every image (the spec and lock digests, and
// per layer its name, owner and packages) as manifest annotations, as
// per-layer descriptor annotations and as a config label, so that SBOMs,
// rebase and "who must act" need nothing but the image. ReadLineage reads it
// back.
//
// It is not for building layers (see image/layer), for reading images from
// sources (see image/source and go-containerregistry), nor for deciding what
// goes into an image (see build). All OCI mechanics are go-containerregistry's;
// this package only fixes the choices that make the output reproducible:
// OCI media types, timestamps from SOURCE_DATE_EPOCH, nothing from the host.
package image
