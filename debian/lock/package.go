package lock

import "github.com/ingot-dev/ingot/debian"

// PackageOf pins a package from a repository index.
func PackageOf(p *debian.Package) Package {
	return Package{
		Name:          p.Name,
		Version:       p.Version.String(),
		Architecture:  p.Architecture,
		Source:        p.Source,
		SourceVersion: p.SourceVersion.String(),
		Suite:         p.Suite,
		Filename:      p.Filename,
		Size:          p.Size,
		SHA256:        p.SHA256,
	}
}
