package build

import (
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image"
)

// imageConfig is the runtime configuration the spec asks for.
func imageConfig(s *spec.Spec) image.Config {
	return image.Config{
		User:         s.RunAsUser(),
		Env:          s.Env,
		Entrypoint:   s.Entrypoint,
		Cmd:          s.Cmd,
		WorkingDir:   s.Workdir,
		ExposedPorts: s.Ports,
		Labels:       s.Labels,
	}
}

// annotations are the image-level facts recorded on every manifest and the
// index.
func annotations(s *spec.Spec, lockDigest string) image.Annotations {
	return image.Annotations{
		Title:       s.Name,
		Description: s.Description,
		Vendor:      s.Owner.Team,
		SpecDigest:  s.Digest(),
		LockDigest:  lockDigest,
		Extra:       s.Annotations,
	}
}
