// Package source opens an image from wherever a user names it: an OCI image
// layout directory, a docker tarball (docker save / docker load format) or a
// registry reference, and picks the image for a platform out of an index.
//
// It is for reading images (ingot run, rebase, SBOMs); it does not write
// images (see package image) and does not cache registry blobs.
//
// Reference forms:
//
//	oci:./out/base            OCI layout; "oci:" is optional when the directory exists
//	./out/base@sha256:...     a manifest of the layout by digest
//	./out/base:1.0            a manifest by its org.opencontainers.image.ref.name annotation
//	docker-archive:./base.tar docker tarball; the prefix is optional when the file exists
//	127.0.0.1:5000/golden/base:1   registry (authn.DefaultKeychain; loopback is plain HTTP)
package source
