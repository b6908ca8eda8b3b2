package repo

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSourcesList(t *testing.T) {
	for _, tc := range []struct {
		desc, in string
		want     []AptEntry
		wantErr  string
	}{
		{"plain line", "deb http://m.invalid/debian bookworm main contrib\n",
			[]AptEntry{{Type: "deb", URI: "http://m.invalid/debian", Suite: "bookworm", Components: []string{"main", "contrib"}, Options: map[string]string{}, File: "f:1"}}, ""},
		{"options, comments and deb-src", "# comment\n\ndeb-src http://m.invalid/debian bookworm main\ndeb [ arch=amd64,arm64 signed-by=/k.gpg ] http://m.invalid/debian bookworm-updates main # trailing\n",
			[]AptEntry{
				{Type: "deb-src", URI: "http://m.invalid/debian", Suite: "bookworm", Components: []string{"main"}, Options: map[string]string{}, File: "f:3"},
				{Type: "deb", URI: "http://m.invalid/debian", Suite: "bookworm-updates", Components: []string{"main"}, SignedBy: "/k.gpg", Options: map[string]string{"arch": "amd64,arm64"}, File: "f:4"},
			}, ""},
		{"options glued to the brackets", "deb [signed-by=/k.gpg] http://m.invalid/debian-security bookworm-security main\n",
			[]AptEntry{{Type: "deb", URI: "http://m.invalid/debian-security", Suite: "bookworm-security", Components: []string{"main"}, SignedBy: "/k.gpg", Options: map[string]string{}, File: "f:1"}}, ""},
		{"unknown type", "rpm http://x y\n", nil, "f:1: unknown entry type"},
		{"unterminated options", "deb [arch=amd64 http://x y\n", nil, "no ]"},
		{"missing suite", "deb http://x\n", nil, "want"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			got, err := ParseSourcesList(strings.NewReader(tc.in), "f")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
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

const machineSources = `Types: deb
# http://snapshot.invalid/archive/debian/20250520T000000Z
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`

func TestParseDeb822Sources(t *testing.T) {
	got, err := ParseDeb822Sources(strings.NewReader(machineSources), "d.sources")
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, e := range got {
		summary = append(summary, e.Type+" "+e.URI+" "+e.Suite+" "+strings.Join(e.Components, ",")+" "+e.SignedBy)
	}
	want := []string{
		"deb http://mirror.invalid/debian bookworm main /usr/share/keyrings/debian-archive-keyring.gpg",
		"deb http://mirror.invalid/debian bookworm-updates main /usr/share/keyrings/debian-archive-keyring.gpg",
		"deb http://mirror.invalid/debian-security bookworm-security main /usr/share/keyrings/debian-archive-keyring.gpg",
	}
	if !reflect.DeepEqual(summary, want) {
		t.Fatalf("got  %q\nwant %q", summary, want)
	}
	for _, tc := range []struct{ desc, in, wantErr string }{
		{"missing URIs", "Types: deb\nSuites: x\n", "required"},
		{"bad type", "Types: deb rpm\nURIs: http://x\nSuites: y\n", "unknown type"},
		{"syntax error", "Types deb\n", "syntax"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := ParseDeb822Sources(strings.NewReader(tc.in), "d.sources")
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("disabled stanza and inline key", func(t *testing.T) {
		in := "Types: deb\nURIs: http://a\nSuites: bookworm\nEnabled: no\n\nTypes: deb deb-src\nURIs: http://b\nSuites: trixie\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n -----END PGP PUBLIC KEY BLOCK-----\n"
		got, err := ParseDeb822Sources(strings.NewReader(in), "d.sources")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].URI != "http://b" || got[0].SignedBy != "inline" || got[1].Type != "deb-src" {
			t.Fatalf("got %+v", got)
		}
	})
}

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

func TestSourceValidate(t *testing.T) {
	for _, tc := range []struct {
		desc string
		src  Source
		ok   bool
	}{
		{"good", Source{Mirror: "https://m.invalid/debian", Suites: []string{"bookworm"}}, true},
		{"no suites", Source{Mirror: "https://m.invalid/debian"}, false},
		{"no mirror", Source{Suites: []string{"bookworm"}}, false},
		{"ftp mirror", Source{Mirror: "ftp://m.invalid/debian", Suites: []string{"bookworm"}}, false},
		{"security falls back to the main mirror", Source{Mirror: "http://m.invalid", Suites: []string{"bookworm-security"}}, true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if err := tc.src.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func FuzzParseSourcesList(f *testing.F) {
	f.Add("deb [arch=amd64 signed-by=/k.gpg] http://m.invalid/debian bookworm main\n")
	f.Add("# c\ndeb-src http://x y\n")
	f.Add("deb [ http://x y\n")
	f.Fuzz(func(t *testing.T, in string) {
		es, err := ParseSourcesList(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		for _, e := range es {
			if (e.Type != "deb" && e.Type != "deb-src") || e.URI == "" || e.Suite == "" {
				t.Fatalf("accepted incomplete entry %+v", e)
			}
		}
		sourceFromEntries(es)
	})
}

func FuzzParseDeb822Sources(f *testing.F) {
	f.Add(machineSources)
	f.Add("Types: deb\nURIs: http://a\nSuites: s\nEnabled: no\n")
	f.Add("Types: deb\nURIs: http://a\nSuites: s\nSigned-By:\n -----BEGIN\n .\n")
	f.Fuzz(func(t *testing.T, in string) {
		es, err := ParseDeb822Sources(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		for _, e := range es {
			if (e.Type != "deb" && e.Type != "deb-src") || e.URI == "" || e.Suite == "" {
				t.Fatalf("accepted incomplete entry %+v", e)
			}
		}
		if src, ok := sourceFromEntries(es); ok && src.Mirror == "" && src.SecurityMirror == "" {
			t.Fatal("found a source without a mirror")
		}
	})
}
