package update

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
)

// source is the spec's Debian source completed from system, as build
// completes it, so that the lock Refresh makes is the one the build uses.
func source(s *spec.Spec, system func() (repo.Source, error)) (repo.Source, error) {
	src := repo.Source{
		Mirror:         s.Source.Mirror,
		SecurityMirror: s.Source.SecurityMirror,
		Suites:         slices.Clone(s.Source.Suites),
		Components:     slices.Clone(s.Source.Components),
		AllowExpired:   s.Source.AllowExpired,
	}
	if s.Source.Keyring != "" {
		src.Keyring = s.Source.Keyring
		if !filepath.IsAbs(src.Keyring) {
			src.Keyring = filepath.Join(s.Dir, src.Keyring)
		}
	}
	if src.Mirror == "" || len(src.Suites) == 0 {
		sys, err := system()
		if err != nil {
			return repo.Source{}, fmt.Errorf("finding the Debian mirror: %w (or set source.mirror and source.suites in %s)", err, s.File)
		}
		if src.Mirror == "" {
			src.Mirror = sys.Mirror
			if src.SecurityMirror == "" {
				src.SecurityMirror = sys.SecurityMirror
			}
		}
		if len(src.Suites) == 0 {
			src.Suites = sys.Suites
			if len(src.Components) == 0 {
				src.Components = sys.Components
			}
		}
		if src.Keyring == "" {
			src.Keyring = sys.Keyring
		}
	}
	if err := src.Validate(); err != nil {
		return repo.Source{}, fmt.Errorf("Debian source of %s: %w", s.File, err)
	}
	return src, nil
}

// request is what the build asks the lock to resolve for s (the same
// request, so that the build takes the refreshed lock as current).
func request(s *spec.Spec, src repo.Source) lock.Request {
	return lock.Request{
		Packages:      s.Packages(),
		Architectures: s.Architectures,
		Suites:        src.Suites,
		Components:    src.ComponentList(),
	}
}
