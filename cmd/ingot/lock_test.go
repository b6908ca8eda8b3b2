package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/internal/debtest"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// runIngot runs the command tree with args and returns stdout.
func runIngot(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	if errOut.Len() > 0 {
		t.Logf("stderr: %s", errOut.String())
	}
	return out.String(), err
}

// lockArchive serves a signed repository with suites "stable" and
// "stable-security" (on the same mirror) and points INGOT_MIRROR at it.
func lockArchive(t *testing.T) (*debtest.Repo, []string) {
	t.Helper()
	r := debtest.NewRepo(t)
	r.SetArchitectures("arm64")
	for _, arch := range []string{"amd64", "arm64"} {
		r.Add("stable", "main",
			debtest.Deb{Name: "app", Version: "1.0", Arch: arch, Control: map[string]string{"Depends": "libssl3"}},
			debtest.Deb{Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: arch, Source: "openssl"},
			debtest.Deb{Name: "tool", Version: "2", Arch: arch},
		)
	}
	r.SetDate(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	t.Setenv("INGOT_MIRROR", r.URL())
	t.Setenv("INGOT_SECURITY_MIRROR", r.URL())
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	flags := []string{"--suite", "stable", "--suite", "stable-security", "--keyring", r.Key().KeyringFile(t)}
	r.Add("stable-security", "main", debtest.Deb{Name: "placeholder", Version: "1", Arch: "all"})
	return r, flags
}

func TestLockCommand(t *testing.T) {
	r, flags := lockArchive(t)
	dir := t.TempDir()
	lockfile := filepath.Join(dir, "ingot.lock")
	base := append([]string{"lock", "--lockfile", lockfile, "--arch", "amd64", "--arch", "arm64"}, flags...)

	out, err := runIngot(t, append(base, "app")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "wrote "+lockfile+" (2 packages for amd64, 2 packages for arm64)") {
		t.Errorf("output: %q", out)
	}
	l, err := lock.ReadFile(lockfile)
	if err != nil {
		t.Fatal(err)
	}
	if l.SourceDateEpoch != time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("sourceDateEpoch = %d", l.SourceDateEpoch)
	}
	if p := l.Arch("arm64")[1]; p.Name != "libssl3" || p.Source != "openssl" || p.Suite != "stable" {
		t.Errorf("arm64 libssl3 = %+v", p)
	}
	first, _ := os.ReadFile(lockfile)

	t.Run("same request is up to date", func(t *testing.T) {
		before := r.Requests("dists/stable/InRelease")
		out, err := runIngot(t, append(base, "app")...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "is up to date") {
			t.Errorf("output: %q", out)
		}
		if r.Requests("dists/stable/InRelease") != before {
			t.Error("an up-to-date check went to the network")
		}
	})

	t.Run("update without changes keeps the file", func(t *testing.T) {
		r.SetDate(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)) // a newer Release, same packages
		out, err := runIngot(t, "lock", "--update", "--lockfile", lockfile, "--keyring", flags[len(flags)-1])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "is up to date") {
			t.Errorf("output: %q", out)
		}
		if now, _ := os.ReadFile(lockfile); !bytes.Equal(now, first) {
			t.Error("lock rewritten although no package changed")
		}
	})

	t.Run("update prints changes", func(t *testing.T) {
		r.Add("stable-security", "main",
			debtest.Deb{Name: "libssl3", Version: "3.0.17-1~deb12u2", Arch: "amd64", Source: "openssl"},
			debtest.Deb{Name: "libssl3", Version: "3.0.17-1~deb12u2", Arch: "arm64", Source: "openssl"})
		out, err := runIngot(t, "lock", "--update", "--lockfile", lockfile, "--keyring", flags[len(flags)-1])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"libssl3 (amd64): 3.0.15-1~deb12u1 -> 3.0.17-1~deb12u2\n",
			"libssl3 (arm64): 3.0.15-1~deb12u1 -> 3.0.17-1~deb12u2\n",
			"updated " + lockfile + ": 2 changes",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		l, err := lock.ReadFile(lockfile)
		if err != nil {
			t.Fatal(err)
		}
		if p := l.Arch("amd64")[1]; p.Version != "3.0.17-1~deb12u2" || p.Suite != "stable-security" {
			t.Errorf("lock not updated: %+v", p)
		}
	})

	t.Run("new request with -o json lists the added package", func(t *testing.T) {
		out, err := runIngot(t, append(base, "-o", "json", "app", "tool")...)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Written  bool
			UpToDate bool
			Packages map[string]int
			Changes  []struct {
				Kind string
				Arch string
				New  *struct{ Name, Version string }
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if !rep.Written || rep.UpToDate || rep.Packages["amd64"] != 3 || len(rep.Changes) != 2 {
			t.Fatalf("report = %+v", rep)
		}
		if c := rep.Changes[0]; c.Kind != "added" || c.Arch != "amd64" || c.New.Name != "tool" {
			t.Errorf("change = %+v", c)
		}
	})
}

func TestLockCommandErrors(t *testing.T) {
	r, flags := lockArchive(t)
	dir := t.TempDir()
	tests := []struct {
		desc  string
		args  []string
		setup func(lockfile string)
		want  string
	}{
		{"no packages", nil, nil, "no packages to lock"},
		{"unknown package", []string{"ap"}, nil, `"ap"`},
		{"wrong key", []string{"app"}, func(string) { r.SignWith(debtest.NewKey(t)) }, "not signed"},
		{"damaged lock", []string{"app"}, func(p string) { os.WriteFile(p, []byte("lockVersion: 9\n"), 0o644) }, "lockVersion 9"},
	}
	for i, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			lockfile := filepath.Join(dir, strings.Repeat("x", i+1)+".lock")
			if tt.setup != nil {
				tt.setup(lockfile)
			}
			args := append(append([]string{"lock", "--lockfile", lockfile}, flags...), tt.args...)
			_, err := runIngot(t, args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
			if tt.setup == nil {
				if _, err := os.Stat(lockfile); err == nil {
					t.Error("a failed lock left a file")
				}
			}
		})
	}
}

// TestLockRealArchive locks the minimal base against the Debian archive of
// this machine's apt configuration, on both architectures.
func TestLockRealArchive(t *testing.T) {
	testenv.RequireNetwork(t)
	if dir := os.Getenv("INGOT_CACHE_DIR"); dir == "" {
		// Share fetched indexes with other real-archive tests and runs.
		d, err := os.UserCacheDir()
		if err != nil {
			t.Skip("no cache directory:", err)
		}
		t.Setenv("INGOT_CACHE_DIR", filepath.Join(d, "ingot"))
	}
	lockfile := filepath.Join(t.TempDir(), "ingot.lock")
	out, err := runIngot(t, "lock", "--lockfile", lockfile, "--arch", "amd64", "--arch", "arm64",
		"base-files", "netbase", "tzdata", "ca-certificates", "libc6", "libssl3")
	if err != nil {
		t.Fatal(err)
	}
	l, err := lock.ReadFile(lockfile)
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		names := map[string]lock.Package{}
		for _, p := range l.Arch(arch) {
			names[p.Name] = p
		}
		for _, want := range []string{"base-files", "netbase", "tzdata", "ca-certificates", "libc6", "libssl3", "openssl"} {
			if _, ok := names[want]; !ok {
				t.Errorf("%s: %s not locked (%s)", arch, want, out)
			}
		}
		if p := names["libc6"]; p.Architecture != arch || !strings.HasPrefix(p.Filename, "pool/main/g/glibc/") {
			t.Errorf("%s libc6 = %+v", arch, p)
		}
	}
	if l.SourceDateEpoch < time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("sourceDateEpoch %d predates bookworm", l.SourceDateEpoch)
	}
}
