package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/command"
	"github.com/ingot-dev/ingot/build/app/golang"
	"github.com/ingot-dev/ingot/build/app/node"
	"github.com/ingot-dev/ingot/build/app/static"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/inventory"
)

// appBuildHelp is appended to `ingot build --help`.
const appBuildHelp = `

Application images (ingot build DIR --base REF):

  Builds the application in DIR on a golden base, without a Dockerfile. The
  kind is detected: a Go module (go.mod), a Node.js project (package.json with
  package-lock.json), a static site (index.html or public/); any other
  directory is copied to /app and run with --cmd. The base's layers stay
  untouched at the bottom, then dependencies, then the application; the image
  records its base (org.opencontainers.image.base.name/digest) and which
  layers are the base's, so it can be rebased later. One image per platform
  of the base, under an index; the same source and base give the same digest
  (SOURCE_DATE_EPOCH: the base's creation time unless set). A pushed
  image is recorded in the inventory, as ingot inventory add records it, so
  that ingot update --rebase-dependents finds it (--no-inventory opts out).

  The same from a spec: ingot build -f app/ingot.yaml, where ingot.yaml has
  an app section (dir, base, kind, main, cmd, allowInstallScripts; see
  docs/spec.md). Its name and owner name the image; flags given here win
  over the spec's values; the default layout is ./out/<last name segment>.`

// appFlagNames are the flags only the DIR form takes.
var appFlagNames = []string{"base", "base-spec", "main", "cmd", "kind", "allow-install-scripts", "owner", "name", "source-date-epoch"}

// addAppFlags adds the flags of `ingot build DIR` to the build command.
func addAppFlags(cmd *cobra.Command) {
	cmd.Long += appBuildHelp
	cmd.Example += `
  ingot build ./myapp --base 127.0.0.1:5000/golden/base:1
  ingot build ./myapp --base oci:out/base --main ./cmd/server --layout out/myapp
  ingot build ./site --base-spec examples/static/ingot.yaml --tarball site.tar
  ingot build ./scripts --base oci:out/base --cmd '/app/run.sh --serve'
  ingot build -f examples/go-web/ingot.yaml --arch amd64`
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 || isAppSpec(cmd) {
			return nil
		}
		for _, n := range appFlagNames {
			if cmd.Flags().Changed(n) {
				return fmt.Errorf("--%s is for building an application: give its directory (ingot build DIR --base REF) or a spec with an app section (-f app/ingot.yaml)", n)
			}
		}
		return nil
	}
	fl := cmd.Flags()
	fl.String("base", "", "DIR form: the base image (registry reference, OCI layout, docker tarball)")
	fl.String("base-spec", "", "DIR form: build the base from this ingot.yaml first and use it")
	fl.String("main", "", "DIR form, Go: the main package to build (./cmd/server); default: the module root or the only main under ./cmd")
	fl.String("cmd", "", `DIR form: the command to run (split like a shell would, quotes included, but no shell runs; or a JSON array); required for a directory of no known kind`)
	fl.String("kind", "", "DIR form: the application kind instead of detecting it (go, node, static, command)")
	fl.Bool("allow-install-scripts", false, "DIR form, Node.js: let npm run install scripts (off: native modules are not built)")
	fl.String("owner", "", `DIR form: the team owning the application layers ("team <contact>")`)
	fl.String("name", "", "DIR form: the image name (title, tarball tag, push target); default: the directory's name")
	fl.String("source-date-epoch", "", "DIR form: Unix time of every new timestamp (default: $SOURCE_DATE_EPOCH, else the base's creation time)")
}

// appBuilders are the application kinds, in detection order.
func appBuilders() app.Registry {
	return app.Registry{golang.New(), node.New(), static.New()}
}

// isAppSpec reports whether -f names a spec with an app section, or an
// invalid spec (runBuild reports its errors, which come first); a missing
// spec is not one.
func isAppSpec(cmd *cobra.Command) bool {
	file, _ := cmd.Flags().GetString("file")
	s, err := spec.Load(file)
	var errs spec.Errors
	return errors.As(err, &errs) || err == nil && s.IsApp()
}

// appParams are the inputs of an application build, from the flags of
// `ingot build DIR` or from an app spec overridden by flags.
type appParams struct {
	dir                 string
	base, baseSpec      string
	main, cmd, kind     string
	allowInstallScripts bool
	owner, name         string
	epoch               string // --source-date-epoch
	specEpoch           *int64 // the spec's sourceDateEpoch, under --source-date-epoch, over $SOURCE_DATE_EPOCH
	layout              string // the default layout when no output is chosen
}

// overrideFromFlags sets the fields whose flags were given.
func (p *appParams) overrideFromFlags(fl *pflag.FlagSet) {
	str := func(n string, dst *string) {
		if fl.Changed(n) {
			*dst, _ = fl.GetString(n)
		}
	}
	if fl.Changed("base") || fl.Changed("base-spec") {
		p.base, p.baseSpec = "", ""
	}
	str("base", &p.base)
	str("base-spec", &p.baseSpec)
	str("main", &p.main)
	str("cmd", &p.cmd)
	str("kind", &p.kind)
	str("owner", &p.owner)
	str("name", &p.name)
	str("source-date-epoch", &p.epoch)
	if fl.Changed("allow-install-scripts") {
		p.allowInstallScripts, _ = fl.GetBool("allow-install-scripts")
	}
}

// rejectGoldenFlags refuses the flags only a golden build takes.
func rejectGoldenFlags(cmd *cobra.Command, what string) error {
	for _, n := range []string{"lockfile", "layer-cache"} {
		if cmd.Flags().Changed(n) {
			return fmt.Errorf("--%s is for building a golden image from a spec, not %s", n, what)
		}
	}
	return nil
}

// runAppBuild is `ingot build DIR`.
func runAppBuild(cmd *cobra.Command, dir string, f buildFlags) error {
	if cmd.Flags().Changed("file") {
		return fmt.Errorf("--file is for building a golden image from a spec; with a directory (%s) give the base with --base or --base-spec", dir)
	}
	if err := rejectGoldenFlags(cmd, "an application from a directory ("+dir+"); give the base with --base or --base-spec"); err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	p := appParams{dir: dir, layout: filepath.Join("out", filepath.Base(abs))}
	p.overrideFromFlags(cmd.Flags())
	return buildApp(cmd, p, f)
}

// runSpecAppBuild is `ingot build -f ingot.yaml` for a spec with an app
// section: the spec's values, flags given on the command line winning.
func runSpecAppBuild(cmd *cobra.Command, s *spec.Spec, f buildFlags) error {
	if err := rejectGoldenFlags(cmd, "an application spec ("+s.File+"): it has no lock"); err != nil {
		return err
	}
	base, baseSpec := s.BaseRef()
	p := appParams{
		dir: s.AppDir(), base: base, baseSpec: baseSpec,
		main: s.App.Main, cmd: s.App.Cmd, allowInstallScripts: s.App.AllowInstallScripts,
		owner: s.Owner.String(), name: s.Name, specEpoch: s.SourceDateEpoch,
		layout: filepath.Join("out", path.Base(s.Name)),
	}
	if s.App.Kind != "auto" {
		p.kind = s.App.Kind
	}
	p.overrideFromFlags(cmd.Flags())
	if p.kind == "auto" {
		p.kind = "" // --kind auto: detect, as the spec's default
	}
	return buildApp(cmd, p, f)
}

// buildApp builds the application p describes, to the outputs of f.
func buildApp(cmd *cobra.Command, p appParams, f buildFlags) error {
	ctx := cmd.Context()
	log := logger(cmd)

	base, err := openAppBase(cmd, p.base, p.baseSpec, f)
	if err != nil {
		return err
	}
	opts := []app.Option{
		app.WithBuilders(appBuilders()...),
		app.WithFallback(command.New()),
		app.WithLogger(log),
		app.WithInsecure(f.insecure),
	}
	if isTerminal() {
		opts = append(opts, app.WithProgress(cmd.ErrOrStderr()))
	}
	if p.cmd != "" {
		words, err := parseCmd(p.cmd)
		if err != nil {
			return err
		}
		opts = append(opts, app.WithCmd(words...))
	}
	opts = append(opts, app.WithInstallScripts(p.allowInstallScripts))
	for _, o := range []struct {
		v   string
		opt func(string) app.Option
	}{{p.main, app.WithMain}, {p.kind, app.WithKind}, {p.owner, app.WithOwner}, {p.name, app.WithName}} {
		if o.v != "" {
			opts = append(opts, o.opt(o.v))
		}
	}
	if p.epoch == "" && p.specEpoch != nil {
		opts = append(opts, app.WithEpoch(time.Unix(*p.specEpoch, 0).UTC()))
	} else if epoch, ok, err := sourceDateEpoch(p.epoch); err != nil {
		return err
	} else if ok {
		opts = append(opts, app.WithEpoch(epoch))
	}
	if len(f.archs) > 0 {
		opts = append(opts, app.WithArchitectures(f.archs...))
	}
	layout := f.layout
	if layout == "" && f.tarball == "" && !f.push {
		layout = p.layout
	}
	if f.tag != "" && !f.push && f.tarball == "" {
		return fmt.Errorf("--tag names what --push pushes or --tarball tags: add --push or --tarball")
	}
	if layout != "" {
		opts = append(opts, app.WithLayout(layout))
	}
	if f.tarball != "" {
		opts = append(opts, app.WithTarball(f.tarball))
	}
	if f.push {
		opts = append(opts, app.WithPush())
	}
	if f.tag != "" {
		opts = append(opts, app.WithTag(f.tag))
	}
	res, err := app.Build(ctx, p.dir, base, opts...)
	if err != nil {
		return err
	}
	if f.push && !f.noInventory {
		recordPushedApp(cmd, res, f)
	}
	return printOut(cmd, res, func() string { return appSummary(res) })
}

// recordPushedApp records a pushed application image in the inventory
// ($INGOT_DB, else the user's data directory) as `ingot inventory add`
// does, from its attached SBOM, with its tag, lineage and documents, so
// that `ingot update --rebase-dependents` finds it. A failure is a warning:
// the image is pushed, and `ingot inventory add` can record it later.
func recordPushedApp(cmd *cobra.Command, res *app.Result, f buildFlags) {
	log := logger(cmd)
	refStr := f.tag
	if refStr == "" {
		refStr = res.Name
	}
	var nopts []name.Option
	if f.insecure {
		nopts = append(nopts, name.Insecure)
	}
	warn := func(err error) {
		log.Warn("could not record the application in the inventory (record it later with ingot inventory add)", "image", refStr, "err", err)
	}
	ref, err := name.ParseReference(refStr, nopts...)
	if err != nil {
		warn(err)
		return
	}
	store, err := inventory.Open(cmd.Context(), "", inventory.WithLogger(log))
	if err != nil {
		warn(err)
		return
	}
	defer store.Close()
	added, err := store.Add(cmd.Context(), ref, inventory.WithRemote(remoteOptions()...), inventory.WithIngestLogger(log))
	if err != nil {
		warn(err)
		return
	}
	for _, a := range added {
		if a.IndexDigest != res.IndexDigest {
			warn(fmt.Errorf("%s names %s now, not the %s just pushed", refStr, a.IndexDigest, res.IndexDigest))
			return
		}
	}
}

// openAppBase opens the base reference, or builds the base spec (for the
// architectures of --arch, if given).
func openAppBase(cmd *cobra.Command, ref, specPath string, f buildFlags) (*app.BaseIndex, error) {
	switch {
	case ref != "" && specPath != "":
		return nil, fmt.Errorf("give the base once: --base %s or --base-spec %s, not both", ref, specPath)
	case ref != "":
		return app.OpenBase(cmd.Context(), ref, source.WithInsecure(f.insecure), source.WithLogger(logger(cmd)))
	case specPath != "":
		s, err := spec.Load(specPath)
		if err != nil {
			return nil, err
		}
		if s.IsApp() {
			return nil, fmt.Errorf("the base %s is an application spec: a base must be a golden spec (with layers)", specPath)
		}
		opts := []build.Option{build.WithLogger(logger(cmd)), build.WithProgress(cmd.ErrOrStderr(), isTerminal())}
		if len(f.archs) > 0 {
			opts = append(opts, build.WithArchitectures(f.archs...))
		}
		if f.noInventory {
			opts = append(opts, build.WithoutInventory())
		}
		res, err := build.Golden(cmd.Context(), s, opts...)
		if err != nil {
			return nil, fmt.Errorf("building the base from %s: %w", specPath, err)
		}
		return &app.BaseIndex{Name: s.Name, Index: res.Index}, nil
	}
	return nil, fmt.Errorf("no base image: give the golden base with --base REF (registry reference or OCI layout) or --base-spec ingot.yaml")
}

// parseCmd splits --cmd: a JSON array, or words split as a shell would
// (quotes, backslashes) without running one.
func parseCmd(s string) ([]string, error) {
	if strings.HasPrefix(strings.TrimSpace(s), "[") {
		var words []string
		if err := json.Unmarshal([]byte(s), &words); err != nil {
			return nil, fmt.Errorf("--cmd %s: not a JSON array of strings: %w", s, err)
		}
		if len(words) == 0 {
			return nil, fmt.Errorf("--cmd %s: the command is empty", s)
		}
		return words, nil
	}
	return command.Split(s)
}

// sourceDateEpoch is the flag's value, else $SOURCE_DATE_EPOCH.
func sourceDateEpoch(flag string) (time.Time, bool, error) {
	v, from := flag, "--source-date-epoch"
	if v == "" {
		v, from = os.Getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH"
	}
	if v == "" {
		return time.Time{}, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false, fmt.Errorf("%s=%q: want a Unix time in seconds, like 1700000000", from, v)
	}
	return time.Unix(n, 0).UTC(), true, nil
}

// appSummary is the text form of an application build.
func appSummary(res *app.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "built %s (%s application) on %s\n", res.Name, res.Kind, res.Base)
	fmt.Fprintf(&b, "  index   %s\n", res.IndexDigest)
	fmt.Fprintf(&b, "  base    %s\n", res.BaseDigest)
	for _, img := range res.Images {
		fmt.Fprintf(&b, "  %-15s %s\n", img.Platform, img.Digest)
		fmt.Fprintf(&b, "    entrypoint %q, user %s\n", append(img.Entrypoint, img.Cmd...), img.User)
		for _, l := range img.Layers {
			from := "app"
			if l.Base {
				from = "base"
			}
			fmt.Fprintf(&b, "    %-4s %-10s %-30s %9s\n", from, l.Name, l.Owner, humanSize(l.Size))
		}
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
