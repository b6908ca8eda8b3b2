// Package exampletest is test support for the real-component tests of the
// application builders (build/app/...): Main gives a test binary a shared
// directory, Fixture builds a committed examples/* golden base from the real
// Debian archive (through the user's download cache) and an application on
// it once per test binary, CopyApp copies a sample application out of
// testdata/apps, LayerFiles reads a layer's entries, and Serve runs an image
// with runc in a network namespace of its own and GETs a URL inside it.
//
// It is for tests only, never for production code. It is not a fixture
// builder for hermetic tests (internal/debtest is), and it cannot serve the
// tests of package build itself, which it imports. Requirements (network,
// root, tools) are checked with internal/testenv, so they skip outside CI
// and fail with CI=true.
package exampletest
