// Package exampletest is test support for the real-component tests of the
// application builders (build/app/...): it builds a committed examples/*
// golden base from the real Debian archive through the user's download
// cache, copies a sample application out of testdata/apps, reads a layer's
// files, and serves an image with runc in a network namespace of its own,
// answering an HTTP GET from inside it.
//
// It is for tests only, never for production code. It is not a fixture
// builder for hermetic tests (internal/debtest is), and it cannot serve the
// tests of package build itself, which it imports. Requirements (network,
// root, runc, ip, curl) are checked with internal/testenv, so they skip
// outside CI and fail with CI=true.
package exampletest
