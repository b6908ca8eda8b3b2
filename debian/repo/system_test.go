package repo

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeTree writes files (path -> content) under a new root directory.
func writeTree(t *testing.T, files map[string]string) string {
	root := t.TempDir()
	for p, body := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestSourceFromAptConfig(t *testing.T) {
	for _, tc := range []struct {
		desc    string
		files   map[string]string
		want    Source
		wantErr string
	}{
		{"deb822 like this machine, with disabled and third-party files", map[string]string{
			"etc/apt/sources.list.d/debian.sources":                      machineSources,
			"etc/apt/sources.list.d/nodesource.sources.disabled-by-farm": "Types: deb\nURIs: https://deb.thirdparty.invalid/node_20.x\nSuites: nodistro\nComponents: main\n",
			"etc/apt/sources.list.d/google-cloud-sdk.list.disabled":      "deb https://pkgs.invalid/apt cloud-sdk main\n",
			"etc/apt/sources.list.d/vendor.list":                         "deb [signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.invalid/apt stable-vendor main\n",
		}, Source{
			Mirror: "http://mirror.invalid/debian", SecurityMirror: "http://mirror.invalid/debian-security",
			Suites: []string{"bookworm", "bookworm-updates", "bookworm-security"}, Components: []string{"main"},
			Keyring: "/usr/share/keyrings/debian-archive-keyring.gpg",
		}, ""},
		{"classic sources.list", map[string]string{
			"etc/apt/sources.list": "deb http://m.invalid/debian/ trixie main contrib non-free-firmware\n" +
				"deb-src http://m.invalid/debian trixie main\n" +
				"deb http://sec.invalid/debian-security trixie-security main\n" +
				"deb http://m.invalid/debian trixie-updates main\n" +
				"deb http://m.invalid/debian trixie-backports main\n" +
				"deb http://old.invalid/debian bookworm main\n",
		}, Source{
			Mirror: "http://m.invalid/debian", SecurityMirror: "http://sec.invalid/debian-security",
			Suites: []string{"trixie", "trixie-security", "trixie-updates"}, Components: []string{"main", "contrib", "non-free-firmware"},
		}, ""},
		{"a broken third-party file does not hide the Debian entries", map[string]string{
			"etc/apt/sources.list":               "deb http://m.invalid/debian bookworm\n",
			"etc/apt/sources.list.d/broken.list": "this is not apt\n",
			"etc/apt/sources.list.d/ubuntu.list": "deb http://archive.invalid/ubuntu jammy main\n",
			"etc/apt/sources.list.d/cdrom.list":  "deb cdrom:[Debian]/ bookworm main\n",
		}, Source{Mirror: "http://m.invalid/debian", Suites: []string{"bookworm"}, Components: []string{"main"}}, ""},
		{"nothing configured", map[string]string{}, Source{}, "no sources file exists"},
		{"only third-party entries", map[string]string{
			"etc/apt/sources.list.d/x.sources": "Types: deb\nURIs: https://x.invalid\nSuites: nodistro\nComponents: main\n",
		}, Source{}, "x.sources"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			root := writeTree(t, tc.files)
			got, err := SourceFromAptConfig(root)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrNoSource) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), EnvMirror) {
					t.Fatalf("err = %v, want ErrNoSource mentioning %q and %s", err, tc.wantErr, EnvMirror)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSystemSourceEnvironment(t *testing.T) {
	configured := writeTree(t, map[string]string{"etc/apt/sources.list.d/debian.sources": machineSources})
	empty := t.TempDir()
	for _, tc := range []struct {
		desc, root string
		env        map[string]string
		wantMirror string
		wantSec    string
		wantSuites int
		wantErr    bool
	}{
		{"apt configuration only", configured, nil, "http://mirror.invalid/debian", "http://mirror.invalid/debian-security", 3, false},
		{"INGOT_MIRROR overrides the main mirror only", configured, map[string]string{EnvMirror: "http://local.invalid/debian/"},
			"http://local.invalid/debian", "http://mirror.invalid/debian-security", 3, false},
		{"both overridden", configured, map[string]string{EnvMirror: "http://a.invalid", EnvSecurityMirror: "http://b.invalid"},
			"http://a.invalid", "http://b.invalid", 3, false},
		{"no apt configuration but INGOT_MIRROR", empty, map[string]string{EnvMirror: "http://a.invalid"}, "http://a.invalid", "", 0, false},
		{"nothing at all", empty, nil, "", "", 0, true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			src, err := systemSource(tc.root, func(k string) string { return tc.env[k] })
			if tc.wantErr {
				if !errors.Is(err, ErrNoSource) {
					t.Fatalf("err = %v, want ErrNoSource", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.Mirror != tc.wantMirror || src.SecurityMirror != tc.wantSec || len(src.Suites) != tc.wantSuites {
				t.Fatalf("got %+v", src)
			}
		})
	}
}
