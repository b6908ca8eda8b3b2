package build

import (
	"archive/tar"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/build/maintscript"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image/layer"
)

// systemLayerName is the name of the last layer of every golden image.
const systemLayerName = "system"

// systemLayer builds the last layer: what the packages' maintainer scripts
// would have written (accounts, CA bundle, os-release, alternatives, dpkg
// database), computed from the package layers' files, then the spec's own
// files, which win over anything below them.
func systemLayer(s *spec.Spec, arch string, layers []*pkgLayer, files []layer.Entry, epoch time.Time) (*layer.Builder, error) {
	views := make([][]layer.Entry, len(layers))
	var installed []maintscript.Installed
	for i, l := range layers {
		views[i] = l.builder.Entries()
	}
	// dpkg's status lists packages in lock order (by name), not layer order.
	for _, l := range layers {
		for _, p := range l.pkgs {
			installed = append(installed, maintscript.Installed{
				Package:      p.meta,
				Control:      p.archive.Control,
				ControlFiles: p.archive.ControlFiles,
				Paths:        p.archive.Paths,
			})
		}
	}
	sortInstalled(installed)
	root := newRootfs(views...)
	in := maintscript.Input{
		Arch:     arch,
		Packages: installed,
		ReadFile: root.ReadFile,
		ListDir:  root.ListDir,
	}
	for _, u := range s.Accounts.Users {
		in.Users = append(in.Users, maintscript.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home, Shell: u.Shell})
	}
	for _, g := range s.Accounts.Groups {
		in.Groups = append(in.Groups, maintscript.Group{Name: g.Name, GID: g.GID})
	}
	entries, err := maintscript.Generate(in)
	if err != nil {
		return nil, fmt.Errorf("emulating the maintainer scripts (%s): %w", arch, err)
	}
	entries = append(entries, homes(s, root)...)
	// A spec file replaces what the emulation would have written there.
	replaced := map[string]bool{}
	for _, f := range files {
		replaced[f.Path] = true
	}
	kept := entries[:0:0]
	for _, e := range entries {
		if !replaced[e.Path] {
			kept = append(kept, e)
		}
	}
	b := layer.NewBuilder(layer.WithEpoch(epoch))
	if err := b.Add("maintainer scripts", kept...); err != nil {
		return nil, fmt.Errorf("system layer (%s): %w", arch, err)
	}
	if err := b.Add("spec files", files...); err != nil {
		return nil, fmt.Errorf("system layer (%s): %w", arch, err)
	}
	return b, nil
}

// homes returns the home directories of the spec's users that the packages
// do not ship, owned by the user and private (0700), as distroless has
// /home/nonroot. Root's home is the packages' /root.
func homes(s *spec.Spec, root *rootfs) []layer.Entry {
	var out []layer.Entry
	for _, u := range s.Accounts.Users {
		p := strings.Trim(path.Clean(u.Home), "/")
		if u.UID == 0 || p == "" || p == "nonexistent" {
			continue
		}
		if rp, ok := root.resolve(p); ok && (root.entries[rp] != nil || root.children[rp] != nil) {
			continue
		}
		out = append(out, layer.Entry{Path: p, Type: tar.TypeDir, Mode: 0o700, UID: u.UID, GID: u.GID})
	}
	return out
}

// sortInstalled orders packages by name, as dpkg's status file is.
func sortInstalled(in []maintscript.Installed) {
	slices.SortFunc(in, func(a, b maintscript.Installed) int { return strings.Compare(a.Package.Name, b.Package.Name) })
}
