// Package debtest builds Debian artefacts for hermetic tests: deterministic
// .deb files, throw-away OpenPGP signing keys, and a signed Debian-style
// repository (InRelease, Release, Release.gpg, Packages.xz/.gz, pool) served
// by httptest, with fault hooks for every bad input a client must reject.
//
// It is for tests only: nothing here is hardened, and keys are generated
// without care for secrecy. It is not a general .deb or repository writer.
// The .deb and tar writers are written by hand (a few lines on archive/tar)
// because test fixtures must also be able to produce hostile archives that a
// real packaging tool refuses to build.
package debtest
