package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// inCI reports whether the tests run in CI, where every requirement must be met.
func inCI() bool { return os.Getenv("CI") == "true" }

// Unmet reports that a test requirement (a tool, root, the network, a
// mirror, a keyring, ...) is missing: it skips t with the reason formatted
// from format and args, or fails t with it when CI=true, where every
// requirement must be met. Tests with a requirement the Require* helpers do
// not cover call it instead of t.Skip.
func Unmet(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("%s (CI=true: every test requirement must be met)", reason)
		return
	}
	t.Skip(reason)
}

// RequireRoot skips t unless it runs as root (fails it in CI).
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unmet(t, "test needs root (uid 0), running as uid %d", os.Geteuid())
	}
}

// RequireTool skips t unless every named program is on $PATH (fails it in CI).
// scripts/install-test-deps.sh installs them.
func RequireTool(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			Unmet(t, "test needs %s on $PATH (run scripts/install-test-deps.sh): %v", n, err)
			return
		}
	}
}

// RequireNetwork skips t under -short or when INGOT_OFFLINE=1. Under -short it
// skips even in CI; INGOT_OFFLINE=1 in CI fails it.
func RequireNetwork(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("test needs the network; skipped under -short")
		return
	}
	if os.Getenv("INGOT_OFFLINE") == "1" {
		Unmet(t, "test needs the network; INGOT_OFFLINE=1")
	}
}
