package repo

import (
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
