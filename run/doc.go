// Package run unpacks an OCI image into a runc bundle and runs it with runc,
// the way `docker run` would, without a daemon. It is what `ingot run` and the
// image tests use to prove a built image actually works.
//
// Unpack applies the layers in order onto rootfs/, honouring OCI whiteouts,
// through an os.Root: every parent path is resolved inside the root with
// chroot semantics (absolute symlinks and ".." stay inside), so a hostile
// layer cannot write outside the bundle. It is hand-written rather than
// go-containerregistry's mutate.Extract because Extract only yields a stream;
// writing that stream safely is the part that matters. config.json is built
// from the image config with the runtime-spec types: Docker's default
// capabilities minus NET_RAW and MKNOD, no new privileges, runc's default
// mounts and masked paths, and a network namespace holding only loopback
// unless asked otherwise.
//
// It is not a container engine: no image store, no port publishing, no
// seccomp profile, no volumes. Running needs root and the runc binary.
// Device nodes and FIFOs in layers are skipped (the container gets its own
// /dev) and extended attributes (file capabilities) are not restored.
package run
