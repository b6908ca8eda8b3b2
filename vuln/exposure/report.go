package exposure

import (
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/sbom"
)

// Report is what an image's entrypoint loads and exposes.
type Report struct {
	// Entrypoint is the program as the image config names it ("node").
	Entrypoint string `json:"entrypoint"`
	// Program is the file it runs, symlinks followed ("/usr/bin/node");
	// for a script, its interpreter. Empty when it is not in the image.
	Program string `json:"program,omitempty"`
	// Script is the entrypoint script Program interprets ("/app/start.sh"
	// for "#!/bin/sh"), when the entrypoint is one.
	Script string `json:"script,omitempty"`
	// Ports are the exposed ports of the config, "8080/tcp", sorted.
	Ports []string `json:"ports,omitempty"`
	// Files are the ELF objects loaded at start, the program first, then
	// breadth-first as ld.so loads them.
	Files []File `json:"files,omitempty"`
	// Modules are the Go modules compiled into the program ("stdlib" for
	// the standard library), when it is a Go binary.
	Modules []Module `json:"modules,omitempty"`
	// Missing are DT_NEEDED names that no search directory holds.
	Missing []string `json:"missing,omitempty"`
}

// File is one loaded ELF object.
type File struct {
	Path    string `json:"path"`              // real path in the image, "/usr/lib/x86_64-linux-gnu/libssl.so.3"
	Package string `json:"package,omitempty"` // the Debian package whose file list has it
	// Chain is how it gets loaded: the program, then each DT_NEEDED name
	// (or the interpreter's path) down to this file's.
	Chain []string `json:"chain"`
}

// Module is one Go module of a Go program.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
}

// String is the chain as people read it: "/usr/bin/node → libnode.so.108
// → libssl.so.3 (libssl3)".
func (f File) String() string {
	s := strings.Join(f.Chain, " → ")
	if f.Package != "" {
		s += " (" + f.Package + ")"
	}
	return s
}

// Loads reports whether the entrypoint loads package name of ecosystem
// (sbom.Deb: a file of the package is in the closure; sbom.Golang: the
// module, or "stdlib", is compiled into the program) and returns the first
// loaded file that shows it (for Go, the program itself).
func (r *Report) Loads(ecosystem, name string) (File, bool) {
	if r == nil {
		return File{}, false
	}
	switch ecosystem {
	case sbom.Deb:
		for _, f := range r.Files {
			if f.Package == name {
				return f, true
			}
		}
	case sbom.Golang:
		if slices.ContainsFunc(r.Modules, func(m Module) bool { return m.Path == name }) {
			return File{Path: r.Program, Chain: []string{r.Program}}, true
		}
	}
	return File{}, false
}
