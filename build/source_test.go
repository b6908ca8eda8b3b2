package build

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/repo"
)

func TestSource(t *testing.T) {
	system := repo.Source{Mirror: "http://mirror.test/debian", SecurityMirror: "http://mirror.test/debian-security",
		Suites: []string{"trixie", "trixie-security"}, Components: []string{"main", "contrib"}, Keyring: "/etc/apt/keyrings/debian.gpg"}
	noSystem := func() (repo.Source, error) { return repo.Source{}, errors.New("no apt sources") }
	tests := []struct {
		desc    string
		src     spec.Source
		system  func() (repo.Source, error)
		want    repo.Source
		wantErr string
	}{{
		desc:   "everything from the machine",
		system: func() (repo.Source, error) { return system, nil },
		want:   system,
	}, {
		desc:   "the spec's suites and components, the machine's mirrors and keyring",
		src:    spec.Source{Suites: []string{"bookworm", "bookworm-security"}, Components: []string{"main"}},
		system: func() (repo.Source, error) { return system, nil },
		want: repo.Source{Mirror: system.Mirror, SecurityMirror: system.SecurityMirror, Suites: []string{"bookworm", "bookworm-security"},
			Components: []string{"main"}, Keyring: system.Keyring},
	}, {
		desc:   "a complete spec source never reads the machine's",
		src:    spec.Source{Mirror: "http://127.0.0.1:8080", Suites: []string{"bookworm"}, Keyring: "keys/test.gpg", AllowExpired: true},
		system: noSystem,
		want:   repo.Source{Mirror: "http://127.0.0.1:8080", Suites: []string{"bookworm"}, Keyring: "/specs/base/keys/test.gpg", AllowExpired: true},
	}, {
		desc:    "no mirror anywhere",
		src:     spec.Source{Suites: []string{"bookworm"}},
		system:  noSystem,
		wantErr: "finding the Debian mirror: no apt sources (or set source.mirror and source.suites in /specs/base/ingot.yaml)",
	}, {
		desc:    "a mirror that is not a URL",
		src:     spec.Source{Mirror: "ftp.example.com", Suites: []string{"bookworm"}},
		system:  noSystem,
		wantErr: "is not an http or https URL",
	}}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := &spec.Spec{Source: tt.src, Dir: "/specs/base", File: "/specs/base/ingot.yaml"}
			got, err := Source(s, tt.system)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Mirror != tt.want.Mirror || got.SecurityMirror != tt.want.SecurityMirror || !slices.Equal(got.Suites, tt.want.Suites) ||
				!slices.Equal(got.Components, tt.want.Components) || got.Keyring != tt.want.Keyring || got.AllowExpired != tt.want.AllowExpired {
				t.Errorf("source = %+v\nwant     %+v", got, tt.want)
			}
		})
	}
}
