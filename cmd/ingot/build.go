package main

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/spec"
)

func init() { register(newBuildCmd) }

type buildFlags struct {
	file, lockfile  string
	archs           []string
	layout, tarball string
	push            bool
	tag             string
	insecure        bool
	layerCache      bool
	noInventory     bool
}

func newBuildCmd() *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build [-f ingot.yaml | DIR --base REF]",
		Short: "Build a golden image from an ingot.yaml spec, or an application image from source",
		Long: `Build the golden image an ingot.yaml spec describes, without a Docker daemon.

  1. Lock: the packages of every layer are pinned in ingot.lock next to the
     spec. A missing lock, or one made for another package list, is created
     by resolving the packages against the verified Debian archive; a lock
     that matches the spec is used as is, and no index is downloaded at all.
  2. Download: every locked .deb for each architecture, in parallel, through
     the content-addressed cache ($INGOT_CACHE_DIR, else ~/.cache/ingot),
     each checked against the lock's size and SHA256.
  3. Layers: each package goes into the spec layer that asks for it, or the
     lowest layer whose packages need it; each layer records its owner. A
     last, small "system" layer holds what maintainer scripts would have
     written (users and groups, CA bundle, alternatives, dpkg database) and
     the spec's files.
  4. Output: one image per architecture under an OCI index, bit for bit the
     same on every rebuild of the same spec and lock. It is written as an OCI
     layout (default ./out/<name>), a docker-loadable tarball, or pushed.
     Encoded layers are cached: rebuilding an unchanged spec and lock takes
     a fraction of a second.

The mirror comes from the spec, INGOT_MIRROR/INGOT_SECURITY_MIRROR or the
machine's apt configuration.`,
		Example: `  ingot build -f examples/base/ingot.yaml
  ingot build -f ingot.yaml --arch amd64 --tarball base.tar
  ingot build -f ingot.yaml --push --tag 127.0.0.1:5000/golden/base:1 --insecure`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return runAppBuild(cmd, args[0], f) // build_app.go
			}
			return runBuild(cmd, f)
		},
	}
	addAppFlags(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "file", "f", "ingot.yaml", "the spec to build")
	fl.StringVar(&f.lockfile, "lockfile", "", "the lock file (default: ingot.lock next to the spec)")
	fl.StringSliceVar(&f.archs, "arch", nil, "build only these of the spec's architectures (repeatable)")
	fl.StringVar(&f.layout, "layout", "", "write an OCI image layout to this directory (default ./out/<last segment of the image name> when no other output is chosen)")
	fl.StringVar(&f.tarball, "tarball", "", "write a docker-loadable tarball of one architecture's image to this file")
	fl.BoolVar(&f.push, "push", false, "push the index to the spec's name (or --tag)")
	fl.StringVar(&f.tag, "tag", "", "the reference to push and tag the tarball with (default: the spec's name, tag latest)")
	fl.BoolVar(&f.insecure, "insecure", false, "use plain HTTP for the registry (a test registry on 127.0.0.1)")
	fl.BoolVar(&f.noInventory, "no-inventory", false, "do not record the built images in the inventory ($INGOT_DB, else the user's data directory)")
	fl.BoolVar(&f.layerCache, "layer-cache", true, "reuse the layers of an earlier build of the same spec, lock and ingot from the cache")
	return cmd
}

func runBuild(cmd *cobra.Command, f buildFlags) error {
	s, err := spec.Load(f.file)
	if err != nil {
		return err
	}
	if s.IsApp() {
		return runSpecAppBuild(cmd, s, f) // build_app.go
	}
	log := logger(cmd)
	opts := []build.Option{
		build.WithLogger(log),
		build.WithProgress(cmd.ErrOrStderr(), isTerminal()),
		build.WithInsecure(f.insecure),
		build.WithLayerCache(f.layerCache),
	}
	if f.noInventory {
		opts = append(opts, build.WithoutInventory())
	}
	if f.lockfile != "" {
		opts = append(opts, build.WithLockfile(f.lockfile))
	}
	if len(f.archs) > 0 {
		opts = append(opts, build.WithArchitectures(f.archs...))
	}
	layout := f.layout
	if layout == "" && f.tarball == "" && !f.push {
		layout = filepath.Join("out", path.Base(s.Name))
	}
	if layout != "" {
		opts = append(opts, build.WithLayout(layout))
	}
	if f.tarball != "" {
		opts = append(opts, build.WithTarball(f.tarball))
	}
	if f.tag != "" && !f.push && f.tarball == "" {
		return fmt.Errorf("--tag names what --push pushes or --tarball tags: add --push or --tarball")
	}
	if f.push {
		opts = append(opts, build.WithPush())
	}
	if f.tag != "" {
		opts = append(opts, build.WithTag(f.tag))
	}
	res, err := build.Golden(cmd.Context(), s, opts...)
	if err != nil {
		return err
	}
	return printOut(cmd, res, func() string { return buildSummary(res) })
}

// buildSummary is the text form of a build result.
func buildSummary(res *build.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "built %s\n", res.Name)
	fmt.Fprintf(&b, "  index   %s\n", res.IndexDigest)
	for _, img := range res.Images {
		cached := ""
		if img.Cached {
			cached = ", cached layers"
		}
		fmt.Fprintf(&b, "  %-7s %s (%s%s)\n", img.Arch, img.Digest, img.Platform, cached)
		for _, l := range img.Layers {
			pkgs := ""
			if n := len(l.Packages); n > 0 {
				pkgs = fmt.Sprintf(", %d packages", n)
			}
			fmt.Fprintf(&b, "    %-10s %-40s %9s%s\n", l.Name, l.Owner, humanSize(l.Size), pkgs)
		}
	}
	if res.LockWritten {
		fmt.Fprintf(&b, "  lock    %s (written)\n", res.Lockfile)
	} else {
		fmt.Fprintf(&b, "  lock    %s\n", res.Lockfile)
	}
	if res.Layout != "" {
		fmt.Fprintf(&b, "  layout  %s\n", res.Layout)
	}
	if res.Tarball != "" {
		fmt.Fprintf(&b, "  tarball %s\n", res.Tarball)
	}
	if res.Pushed != "" {
		fmt.Fprintf(&b, "  pushed  %s\n", res.Pushed)
	}
	return b.String()
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
