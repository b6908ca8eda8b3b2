package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/debian/resolve"
)

func init() { register(newResolveCmd) }

type resolveOptions struct {
	arch           string
	why            string
	recommends     bool
	essential      bool
	suites         []string
	components     []string
	mirror         string
	securityMirror string
	keyring        string
	allowExpired   bool
}

// resolvedPackage is one line of `ingot resolve -o json`.
type resolvedPackage struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Architecture string `json:"architecture"`
	Suite        string `json:"suite"`
	Source       string `json:"source"`
	Requested    bool   `json:"requested,omitempty"`
	PulledInBy   string `json:"pulledInBy,omitempty"`
}

type resolveReport struct {
	Arch      string            `json:"arch"`
	Requested []string          `json:"requested"`
	Packages  []resolvedPackage `json:"packages"`
	Dropped   []string          `json:"dropped,omitempty"`
}

type whyStep struct {
	Package string `json:"package"`
	Version string `json:"version"`
	Field   string `json:"field,omitempty"`
	Via     string `json:"via,omitempty"`
}

type whyReport struct {
	Package string    `json:"package"`
	Chain   []whyStep `json:"chain"`
	Text    string    `json:"text"`
}

func newResolveCmd() *cobra.Command {
	var o resolveOptions
	cmd := &cobra.Command{
		Use:   "resolve PACKAGE...",
		Short: "Show the Debian packages a request installs, as apt would choose them",
		Long: `Resolve packages and their dependencies (Pre-Depends and Depends; Recommends
only with --recommends; the Essential set only with --essential) against the
verified Debian archive for one architecture, choosing what apt-get install
--no-install-recommends chooses on an empty system, and print the set.

Packages are "name", "name=version" or "name:arch". With --why PACKAGE, print
the dependency chain that pulled PACKAGE in instead.

The mirror and suites default to this machine's apt configuration;
INGOT_MIRROR and INGOT_SECURITY_MIRROR (or --mirror, --security-mirror)
override the mirrors. Downloads are cached in INGOT_CACHE_DIR (default: the
user cache directory); progress goes to stderr.`,
		Example: `  ingot resolve curl
  ingot resolve python3 --arch arm64 --why libssl3
  ingot resolve nodejs -o json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runResolve(cmd.Context(), cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.arch, "arch", "", "Debian architecture (default: this machine's)")
	f.StringVar(&o.why, "why", "", "print the dependency chain that pulls in this package")
	f.BoolVar(&o.recommends, "recommends", false, "also install Recommends")
	f.BoolVar(&o.essential, "essential", false, "also install the Essential set")
	f.StringArrayVar(&o.suites, "suite", nil, "suite to resolve from, repeatable (default: apt's)")
	f.StringArrayVar(&o.components, "component", nil, `archive component, repeatable (default: apt's, else "main")`)
	f.StringVar(&o.mirror, "mirror", "", "Debian mirror URL (default: $INGOT_MIRROR, else apt's)")
	f.StringVar(&o.securityMirror, "security-mirror", "", "mirror URL for -security suites (default: $INGOT_SECURITY_MIRROR, else apt's, else --mirror)")
	f.StringVar(&o.keyring, "keyring", "", "OpenPGP keyring that signs the archive (default: "+repo.DefaultKeyring+")")
	f.BoolVar(&o.allowExpired, "allow-expired", false, "accept Release files past their Valid-Until (snapshot mirrors)")
	return cmd
}

func runResolve(ctx context.Context, cmd *cobra.Command, o resolveOptions, args []string) error {
	src, err := resolveSource(o)
	if err != nil {
		return err
	}
	arch := o.arch
	if arch == "" {
		a, ok := hostDebianArch()
		if !ok {
			return fmt.Errorf("no Debian architecture for %s: pass --arch", runtime.GOARCH)
		}
		arch = a
	}
	log := logger(cmd)
	dir, err := fetch.DefaultDir()
	if err != nil {
		return err
	}
	cache, err := fetch.New(dir, fetch.WithLogger(log), fetch.WithProgress(cmd.ErrOrStderr(), isTerminal()))
	if err != nil {
		return err
	}
	ix, err := repo.New(cache, repo.WithLogger(log)).Index(ctx, src, arch)
	if err != nil {
		return err
	}
	res, err := resolve.Resolve(ix, resolve.Request{
		Packages: args, Arch: arch, WithRecommends: o.recommends, WithEssential: o.essential,
	})
	if err != nil {
		return fmt.Errorf("resolving %s for %s: %w", strings.Join(args, " "), arch, err)
	}
	if o.why != "" {
		return printWhy(cmd, res, o.why)
	}
	return printResolved(cmd, res)
}

// resolveSource is the machine's apt source with the flags applied.
func resolveSource(o resolveOptions) (repo.Source, error) {
	src, err := repo.SystemSource()
	if err != nil {
		if o.mirror == "" {
			return src, fmt.Errorf("finding a Debian mirror: %w (or pass --mirror and --suite)", err)
		}
		src = repo.Source{}
	}
	if o.mirror != "" {
		src.Mirror = strings.TrimRight(o.mirror, "/")
	}
	if o.securityMirror != "" {
		src.SecurityMirror = strings.TrimRight(o.securityMirror, "/")
	}
	if o.keyring != "" {
		src.Keyring = o.keyring
	}
	if len(o.suites) > 0 {
		src.Suites = o.suites
	}
	if len(o.components) > 0 {
		src.Components = o.components
	}
	if o.allowExpired {
		src.AllowExpired = true
	}
	if len(src.Suites) == 0 {
		return src, errors.New("no suites to resolve from: apt names none; pass --suite (for example --suite bookworm --suite bookworm-updates --suite bookworm-security)")
	}
	return src, src.Validate()
}

func printResolved(cmd *cobra.Command, res *resolve.Result) error {
	rep := resolveReport{Arch: res.Arch, Requested: res.Requested, Packages: []resolvedPackage{}, Dropped: res.Dropped}
	requested := map[string]bool{}
	for _, n := range res.Requested {
		requested[n] = true
	}
	for _, p := range res.Packages {
		rp := resolvedPackage{
			Name: p.Name, Version: p.Version.String(), Architecture: p.Architecture,
			Suite: p.Suite, Source: p.Source, Requested: requested[p.Name],
		}
		if r := res.Reasons[p.Name]; r != nil {
			rp.PulledInBy = r.From.Name
		}
		rep.Packages = append(rep.Packages, rp)
	}
	return printOut(cmd, rep, func() string {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tVERSION\tARCH\tSUITE")
		for _, p := range rep.Packages {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.Version, p.Architecture, p.Suite)
		}
		tw.Flush()
		fmt.Fprintf(&b, "%d packages for %s\n", len(rep.Packages), rep.Arch)
		return b.String()
	})
}

func printWhy(cmd *cobra.Command, res *resolve.Result, name string) error {
	steps, err := res.Why(name)
	if err != nil {
		return err
	}
	rep := whyReport{Package: name, Text: resolve.FormatChain(steps)}
	for _, st := range steps {
		ws := whyStep{Package: st.Package.Name, Version: st.Package.Version.String(), Field: st.Field}
		if len(st.Via) > 0 {
			ws.Via = st.Via.String()
		}
		rep.Chain = append(rep.Chain, ws)
	}
	return printOut(cmd, rep, func() string { return rep.Text + "\n" })
}
