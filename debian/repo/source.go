package repo

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultKeyring is the keyring used when a Source names none.
const DefaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

// Source says where a Debian archive is and which part of it to use.
type Source struct {
	// Mirror is the archive root for ordinary suites (the URL whose dists/
	// holds bookworm and bookworm-updates).
	Mirror string
	// SecurityMirror is the archive root for suites ending in "-security";
	// empty means Mirror.
	SecurityMirror string
	// Suites are the suites to use, in tie-break order: when two suites
	// carry the same version of a package, the earlier one wins.
	Suites []string
	// Components default to ["main"].
	Components []string
	// Keyring is a binary or ASCII-armoured OpenPGP keyring file; empty
	// means DefaultKeyring.
	Keyring string
	// AllowExpired skips the Valid-Until check, for snapshot mirrors that
	// serve old, expired but correctly signed metadata.
	AllowExpired bool
}

// MirrorFor returns the archive root that serves suite, without a trailing
// slash.
func (s Source) MirrorFor(suite string) string {
	m := s.Mirror
	if strings.HasSuffix(suite, "-security") && s.SecurityMirror != "" {
		m = s.SecurityMirror
	}
	return strings.TrimRight(m, "/")
}

// ComponentList returns Components, or ["main"] when empty.
func (s Source) ComponentList() []string {
	if len(s.Components) == 0 {
		return []string{"main"}
	}
	return s.Components
}

// KeyringPath returns Keyring, or DefaultKeyring when empty.
func (s Source) KeyringPath() string {
	if s.Keyring == "" {
		return DefaultKeyring
	}
	return s.Keyring
}

// Validate reports a source that cannot be used: no suites, or a mirror
// that is not an http(s) URL.
func (s Source) Validate() error {
	if len(s.Suites) == 0 {
		return fmt.Errorf("Debian source has no suites: name at least one (for example bookworm)")
	}
	for _, suite := range s.Suites {
		if err := checkMirror(s.MirrorFor(suite)); err != nil {
			return fmt.Errorf("mirror for suite %s: %w", suite, err)
		}
	}
	return nil
}

func checkMirror(m string) error {
	if m == "" {
		return fmt.Errorf("no mirror URL: set INGOT_MIRROR (and INGOT_SECURITY_MIRROR for -security suites) or configure apt")
	}
	u, err := url.Parse(m)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("mirror %q is not an http or https URL", m)
	}
	return nil
}
