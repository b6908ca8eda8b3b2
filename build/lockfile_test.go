package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian/lock"
)

func TestLockDigestAndArchs(t *testing.T) {
	r := fixtureRepo(t)
	dir := t.TempDir()
	s := writeSpec(t, dir, r, fixtureSpec)
	if _, err := golden(t, s, WithArchitectures("amd64")); err != nil {
		t.Fatal(err)
	}
	l, err := lock.ReadFile(filepath.Join(dir, "ingot.lock"))
	if err != nil {
		t.Fatal(err)
	}
	// The digest is of the canonical bytes: the file's, whatever its path.
	b, err := os.ReadFile(filepath.Join(dir, "ingot.lock"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := lockDigest(l)
	if err != nil {
		t.Fatal(err)
	}
	if want := digestOf(b); d != want {
		t.Errorf("lockDigest = %s, want the file's %s", d, want)
	}
	if err := checkLockArchs(l, "ingot.lock", []string{"amd64", "arm64"}); err != nil {
		t.Errorf("both architectures are locked: %v", err)
	}
	if err := checkLockArchs(l, "ingot.lock", []string{"riscv64"}); err == nil || !strings.Contains(err.Error(), "no packages for riscv64") {
		t.Errorf("err = %v", err)
	}
	// A lock elsewhere, named by WithLockfile, is created there.
	other := filepath.Join(t.TempDir(), "pinned.lock")
	res, err := golden(t, s, WithLockfile(other), WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.LockWritten || res.Lockfile != other {
		t.Errorf("lock %s written %v, want %s written", res.Lockfile, res.LockWritten, other)
	}
	// A lock that is not a lock is an error, not silently replaced.
	if err := os.WriteFile(other, []byte("lockVersion: 99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := golden(t, s, WithLockfile(other)); err == nil || !strings.Contains(err.Error(), other) {
		t.Errorf("err = %v, want one naming %s", err, other)
	}
}
