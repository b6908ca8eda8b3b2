// Package version holds the build's version string, set at link time with
// -ldflags "-X github.com/ingot-dev/ingot/internal/version.Version=v1.2.3".
// It is not for comparing versions of anything else.
package version

import "runtime/debug"

// Version is the ingot release. Empty means "read it from the module build info".
var Version = ""

// String returns the version, falling back to the module version or "devel".
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
