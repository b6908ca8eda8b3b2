package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/debtest"
)

// runResolveCmd runs `ingot resolve args...` and returns stdout and stderr.
func runResolveCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"resolve"}, args...))
	err := root.ExecuteContext(t.Context())
	return out.String(), errOut.String(), err
}

// resolveArchive serves a signed repository with a small dependency graph
// in suites "bookworm" and "bookworm-security" and returns the flags that
// point ingot at it.
func resolveArchive(t *testing.T) []string {
	t.Helper()
	r := debtest.NewRepo(t)
	r.SetArchitectures("amd64", "arm64")
	for _, arch := range []string{"amd64", "arm64"} {
		r.Add("bookworm", "main",
			debtest.Deb{Name: "app", Version: "1.0", Arch: arch, Control: map[string]string{
				"Depends": "libfoo (>= 2) | libbar, mawk | awk", "Recommends": "extra"}},
			debtest.Deb{Name: "libfoo", Version: "1.5", Arch: arch},
			debtest.Deb{Name: "libbar", Version: "3", Arch: arch, Source: "bar", Control: map[string]string{"Depends": "libssl3 (>= 3.0.0)"}},
			debtest.Deb{Name: "libssl3", Version: "3.0.11-1~deb12u2", Arch: arch, Source: "openssl"},
			debtest.Deb{Name: "gawk", Version: "1:5.2.1-2", Arch: arch, Control: map[string]string{"Provides": "awk"}},
			debtest.Deb{Name: "extra", Version: "1", Arch: "all"},
			debtest.Deb{Name: "base-files", Version: "12.4", Arch: arch, Control: map[string]string{"Essential": "yes"}},
		)
	}
	r.Add("bookworm-security", "main",
		debtest.Deb{Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl"})
	t.Setenv("INGOT_CACHE_DIR", t.TempDir())
	return []string{"--mirror", r.URL(), "--security-mirror", r.URL(), "--suite", "bookworm", "--suite", "bookworm-security",
		"--keyring", r.Key().KeyringFile(t)}
}

func TestResolveCommand(t *testing.T) {
	flags := resolveArchive(t)
	tests := []struct {
		desc string
		args []string
		want []string // name=version@suite, sorted by name
	}{
		{"amd64 takes the security update and the provider", []string{"app", "--arch", "amd64"},
			[]string{"app=1.0@bookworm", "gawk=1:5.2.1-2@bookworm", "libbar=3@bookworm", "libssl3=3.0.15-1~deb12u1@bookworm-security"}},
		{"arm64 has no security update", []string{"app", "--arch", "arm64"},
			[]string{"app=1.0@bookworm", "gawk=1:5.2.1-2@bookworm", "libbar=3@bookworm", "libssl3=3.0.11-1~deb12u2@bookworm"}},
		{"recommends and essential on request", []string{"app", "--arch", "amd64", "--recommends", "--essential"},
			[]string{"app=1.0@bookworm", "base-files=12.4@bookworm", "extra=1@bookworm", "gawk=1:5.2.1-2@bookworm", "libbar=3@bookworm", "libssl3=3.0.15-1~deb12u1@bookworm-security"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			out, stderr, err := runResolveCmd(t, append(append(tc.args, flags...), "-o", "json")...)
			if err != nil {
				t.Fatalf("resolve: %v\n%s", err, stderr)
			}
			var rep resolveReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("decoding %q: %v", out, err)
			}
			var got []string
			for _, p := range rep.Packages {
				got = append(got, p.Name+"="+p.Version+"@"+p.Suite)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("packages:\n got %v\nwant %v", got, tc.want)
			}
			if len(rep.Requested) == 0 || rep.Requested[0] != "app" || !rep.Packages[0].Requested {
				t.Errorf("requested %v / %+v", rep.Requested, rep.Packages[0])
			}
		})
	}

	t.Run("text table", func(t *testing.T) {
		out, _, err := runResolveCmd(t, append([]string{"app", "--arch", "amd64", "-o", "text"}, flags...)...)
		if err != nil {
			t.Fatalf("resolve: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 6 || !strings.HasPrefix(lines[0], "NAME") || lines[5] != "4 packages for amd64" {
			t.Fatalf("table:\n%s", out)
		}
		if f := strings.Fields(lines[4]); strings.Join(f, " ") != "libssl3 3.0.15-1~deb12u1 amd64 bookworm-security" {
			t.Errorf("libssl3 row %q", lines[4])
		}
	})

	t.Run("why", func(t *testing.T) {
		out, _, err := runResolveCmd(t, append([]string{"app", "--arch", "amd64", "--why", "libssl3", "-o", "text"}, flags...)...)
		if err != nil {
			t.Fatalf("resolve --why: %v", err)
		}
		if want := "app -> libbar -> libssl3 (>= 3.0.0)\n"; out != want {
			t.Errorf("--why printed %q, want %q", out, want)
		}
		out, _, err = runResolveCmd(t, append([]string{"app", "--arch", "amd64", "--why", "gawk", "-o", "json"}, flags...)...)
		if err != nil {
			t.Fatalf("resolve --why -o json: %v", err)
		}
		var rep whyReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Chain) != 2 || rep.Chain[1].Via != "mawk | awk" || rep.Chain[1].Field != "Depends" || rep.Text != "app -> awk (provided by gawk)" {
			t.Errorf("why json %+v", rep)
		}
	})
}

func TestResolveCommandErrors(t *testing.T) {
	flags := resolveArchive(t)
	tests := []struct {
		desc string
		args []string
		want string
	}{
		{"unknown package suggests close names", []string{"ap"}, `did you mean app`},
		{"unsatisfiable pin", []string{"libfoo=9"}, "libfoo (= 9): no version in bookworm, bookworm-security satisfies it; available: libfoo 1.5 (bookworm)"},
		{"why of a package outside the set", []string{"app", "--why", "libfoo"}, "libfoo: it is not in the resolved set"},
		{"no packages", []string{}, "requires at least 1 arg"},
		{"wrong keyring", []string{"app", "--keyring", "/nonexistent/keyring.gpg"}, "keyring"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			args := append(append(tc.args, flags...), "--arch", "amd64", "-o", "text")
			if tc.desc == "wrong keyring" {
				args = append(args, "--keyring", "/nonexistent/keyring.gpg")
			}
			_, _, err := runResolveCmd(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
