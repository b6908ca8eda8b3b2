package build

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/repo"
)

// Source is the Debian source of a spec: its own fields where set, the
// machine's apt configuration (system; nil means repo.SystemSource, which
// honours INGOT_MIRROR and INGOT_SECURITY_MIRROR) for the rest. The apt
// configuration is read only if the spec leaves a field to it. Tools that
// lock or refresh a spec outside a build use it so that the build takes
// their lock as current.
func Source(s *spec.Spec, system func() (repo.Source, error)) (repo.Source, error) {
	if system == nil {
		system = repo.SystemSource
	}
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
