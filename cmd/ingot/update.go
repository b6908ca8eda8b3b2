package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/update"
)

func init() { register(newUpdateCmd) }

type updateFlags struct {
	file, lockfile, tag string
	dependents, dryRun  bool
	jobs                int
	insecure, noCVEs    bool
	sbom                bool // deprecated --sbom
	noSBOM              bool
}

// updateReport is what `ingot update` prints (-o json).
type updateReport struct {
	Lock   *update.LockUpdate `json:"lock"`
	Base   string             `json:"base"`             // the tag the base is pushed to
	Built  string             `json:"built,omitempty"`  // the pushed reference with digest
	DryRun bool               `json:"dryRun,omitempty"` // nothing was written
	// Plan lists the images a dry run would rebase (and those it would skip).
	Plan  []update.Target `json:"plan,omitempty"`
	Fleet *update.Report  `json:"fleet,omitempty"`
	// Seconds each step took: "lock", "build", "rebase".
	Seconds map[string]float64 `json:"seconds"`
}

func newUpdateCmd() *cobra.Command {
	var f updateFlags
	cmd := &cobra.Command{
		Use:   "update -f ingot.yaml [--rebase-dependents]",
		Short: "Refresh a golden image's packages, rebuild it and rebase the images built on it",
		Long: `Patch a golden image and, with --rebase-dependents, every image built on it.

  1. Lock: the spec's packages are resolved again against the newest
     packages of its suites; the package changes are printed with the CVEs
     the newer packages' changelogs say they close.
  2. Build: the lock is written and the base rebuilt from it and pushed to
     the spec's name (or --tag), as ingot build --push does.
  3. Rebase (--rebase-dependents): every tagged image the inventory (--db)
     knows to be built on an older build of the base is rebased onto the new
     one, --jobs at a time: only a config and a manifest per platform are
     written, layers are mounted, and each tag moves only after its new
     manifests are completely written. Nothing is deleted; the inventory
     records each tag's previous digest.
     Images built on those images (FROM an app) follow, depth by depth:
     each goes onto the new build of the image it is on, and fails, naming
     it, if that image could not be rebased. The report shows the chain:
     apps/worker:1 (on apps/web:1).

An interrupted or partly failed update is safe to run again: images already
on the new base are skipped, the others are rebased. The report lists every
image: rebased (old and new digest, CVEs closed), unchanged, skipped (and
why) or failed (and why); the command fails when any image failed.

An image's CVEs are those its own move closes: every package of the base
build it is on (as the inventory records it) that the new lock has newer
closes the CVEs its changelog names since the installed version. An image
two updates behind closes more than the lock diff; an architecture without
a changed package closes nothing for it. The text report shows the count,
-o json the list; an image whose base build the inventory does not know
gets the lock update's CVEs, with a warning.

--dry-run refreshes the lock in memory and prints the plan (the package
changes, the base to rebuild, the images to rebase) and writes nothing.`,
		Example: `  ingot update -f base/ingot.yaml --dry-run
  ingot update -f base/ingot.yaml --rebase-dependents --jobs 4
  ingot update -f base/ingot.yaml --rebase-dependents --tag 127.0.0.1:5000/golden/base:latest --insecure -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runUpdate(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "file", "f", "ingot.yaml", "the golden image's spec")
	fl.StringVar(&f.lockfile, "lockfile", "", "the lock to refresh (default: ingot.lock next to the spec)")
	fl.StringVar(&f.tag, "tag", "", "where to push the new base (default: the spec's name, tag latest)")
	fl.BoolVar(&f.dependents, "rebase-dependents", false, "rebase every image of the inventory built on an older build of the base")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan only; write nothing")
	fl.IntVar(&f.jobs, "jobs", 16, "how many images to rebase at once (the registry is the bottleneck; fewer for a rate-limited one)")
	fl.BoolVar(&f.insecure, "insecure", false, "use plain HTTP for the registry (a test registry on 127.0.0.1)")
	fl.BoolVar(&f.noCVEs, "no-cves", false, "do not download the newer packages' changelogs for the CVEs they close")
	fl.BoolVar(&f.noSBOM, "no-sbom", false, "do not compose and attach the rebased images' SBOMs (faster; each image is still recorded in the inventory)")
	// --sbom=false came first; --no-sbom matches ingot rebase.
	fl.BoolVar(&f.sbom, "sbom", true, "compose and attach the rebased images' SBOMs")
	_ = fl.MarkDeprecated("sbom", "use --no-sbom instead of --sbom=false")
	addDBFlag(cmd, false)
	return cmd
}

func runUpdate(cmd *cobra.Command, f updateFlags) error {
	ctx := cmd.Context()
	log := logger(cmd)
	if f.jobs < 1 {
		return fmt.Errorf("--jobs %d: give at least 1", f.jobs)
	}
	s, err := spec.Load(f.file)
	if err != nil {
		return err
	}
	var nameOpts []name.Option
	if f.insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	tagStr := f.tag
	if tagStr == "" {
		tagStr = s.Name + ":latest"
	}
	tag, err := name.NewTag(tagStr, nameOpts...)
	if err != nil {
		return fmt.Errorf("parsing the base's tag %q: %w (pass --tag REGISTRY/REPOSITORY:TAG)", tagStr, err)
	}

	// The inventory: where the new base is recorded (a build), and where
	// the dependents come from.
	var store *inventory.Store
	if !f.dryRun || f.dependents {
		if store, err = openStore(cmd); err != nil {
			return err
		}
		defer store.Close()
	}

	start := time.Now()
	// While the lock is refreshed and the base rebuilt, the registry is
	// idle: read ahead what the fleet rebase will read of each image.
	var prefetch *update.Prefetch
	if f.dependents && !f.dryRun {
		early, err := update.Targets(ctx, store, s.Name, nil)
		if err != nil {
			return err
		}
		prefetch = update.NewPrefetch(tag, update.WithKeychain(authn.DefaultKeychain), update.WithJobs(f.jobs),
			update.WithInventory(store), update.WithLogger(log))
		prefetch.Start(ctx, early)
		defer prefetch.Stop()
	}
	lu, err := update.Refresh(ctx, s, f.lockfile, update.WithLogger(log), update.WithCVEs(!f.noCVEs))
	if err != nil {
		return err
	}
	rep := &updateReport{Lock: lu, Base: tag.String(), DryRun: f.dryRun, Seconds: map[string]float64{}}
	step := func(name string) { rep.Seconds[name] = time.Since(start).Seconds(); start = time.Now() }
	step("lock")
	if f.dryRun {
		if f.dependents {
			// An up-to-date lock rebuilds the base already pushed: images
			// on it need nothing.
			var current []string
			if lu.UpToDate {
				current = pushedDigests(ctx, tag, log)
			}
			if rep.Plan, err = update.Targets(ctx, store, s.Name, current); err != nil {
				return err
			}
			if rep.Plan, err = lu.TargetCVEs(ctx, store, rep.Plan, update.WithLogger(log)); err != nil {
				return err
			}
		}
		return printOut(cmd, rep, func() string { return updateText(rep) })
	}

	res, err := update.Rebuild(ctx, s, lu, tag.String(), build.WithInventory(store),
		build.WithLogger(log), build.WithInsecure(f.insecure), build.WithProgress(cmd.ErrOrStderr(), isTerminal()))
	if err != nil {
		return err
	}
	rep.Built = res.Pushed
	step("build")
	if !f.dependents {
		return printOut(cmd, rep, func() string { return updateText(rep) })
	}
	current := []string{res.IndexDigest}
	for _, im := range res.Images {
		current = append(current, im.Digest)
	}
	targets, err := update.Targets(ctx, store, s.Name, current)
	if err != nil {
		return err
	}
	// Each image closes what changed since the base build it is on.
	if targets, err = lu.TargetCVEs(ctx, store, targets, update.WithLogger(log)); err != nil {
		return err
	}
	opts := []update.Option{
		update.WithLogger(log), update.WithJobs(f.jobs), update.WithInventory(store), update.WithSBOM(f.sbom && !f.noSBOM),
		update.WithKeychain(authn.DefaultKeychain),
		update.WithProgress(fleetProgress(cmd.ErrOrStderr(), len(targets))),
	}
	if prefetch != nil {
		opts = append(opts, update.WithPrefetch(prefetch))
	}
	rep.Fleet, err = update.Fleet(ctx, tag, targets, opts...)
	step("rebase")
	if rep.Fleet != nil {
		if perr := printOut(cmd, rep, func() string { return updateText(rep) }); perr != nil && err == nil {
			err = perr
		}
	}
	return err
}

// pushedDigests returns the digests of the index tag names and of its
// platform manifests; none if it cannot be read (the plan then lists every
// image as to be rebased).
func pushedDigests(ctx context.Context, tag name.Tag, log *slog.Logger) []string {
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)}
	desc, err := remote.Get(tag, opts...)
	if err != nil {
		log.Warn("cannot read the pushed base; planning as if every image needs a rebase", "base", tag.String(), "err", err)
		return nil
	}
	out := []string{desc.Digest.String()}
	if idx, err := desc.ImageIndex(); err == nil && desc.MediaType.IsIndex() {
		if im, err := idx.IndexManifest(); err == nil {
			for _, m := range im.Manifests {
				out = append(out, m.Digest.String())
			}
		}
	}
	return out
}

// fleetProgress redraws "rebased 12/40" on a terminal; elsewhere it stays
// quiet (the report lists everything).
func fleetProgress(w io.Writer, total int) func(update.Result) {
	if !isTerminal() {
		return nil
	}
	n := 0
	return func(update.Result) {
		n++
		fmt.Fprintf(w, "\rrebasing: %d/%d", n, total)
		if n == total {
			fmt.Fprintln(w)
		}
	}
}

func updateText(r *updateReport) string {
	var b strings.Builder
	lu := r.Lock
	switch {
	case lu.UpToDate:
		fmt.Fprintf(&b, "%s is up to date\n", lu.Lockfile)
	default:
		for _, c := range lu.Changes {
			fmt.Fprintln(&b, c)
		}
		fmt.Fprintf(&b, "%d package changes in %s\n", len(lu.Changes), lu.Lockfile)
	}
	for _, fx := range lu.Fixes {
		fmt.Fprintf(&b, "  %s (%s) %s closes %s\n", fx.Package, fx.Arch, fx.New, strings.Join(fx.CVEs, " "))
	}
	if len(lu.CVEs) > 0 {
		fmt.Fprintf(&b, "%d CVEs closed\n", len(lu.CVEs))
	}
	if r.DryRun {
		fmt.Fprintf(&b, "would rebuild and push %s\n", r.Base)
		for _, t := range r.Plan {
			if t.Skip != "" {
				fmt.Fprintf(&b, "would skip   %s%s: %s\n", t.Image, onBase(t.Base), t.Skip)
			} else {
				fmt.Fprintf(&b, "would rebase %s%s (%s)%s\n", t.Image, onBase(t.Base), t.OldDigest, cveCount(t.CVEs))
			}
		}
		return b.String()
	}
	fmt.Fprintf(&b, "pushed %s\n", r.Built)
	if r.Fleet == nil {
		return b.String()
	}
	for _, res := range r.Fleet.Results {
		switch res.Status {
		case update.Rebased:
			fmt.Fprintf(&b, "rebased   %s%s %s -> %s%s\n", res.Image, onBase(res.Base), res.OldDigest, res.NewDigest, cveCount(res.CVEs))
		case update.Unchanged:
			fmt.Fprintf(&b, "unchanged %s%s %s (already on the new base)\n", res.Image, onBase(res.Base), res.OldDigest)
		case update.Planned:
			fmt.Fprintf(&b, "planned   %s%s %s", res.Image, onBase(res.Base), res.OldDigest)
			if res.Reason != "" {
				fmt.Fprintf(&b, " (%s)", res.Reason)
			}
			b.WriteByte('\n')
		case update.Skipped:
			fmt.Fprintf(&b, "skipped   %s%s: %s\n", res.Image, onBase(res.Base), res.Reason)
		default:
			fmt.Fprintf(&b, "FAILED    %s%s: %s\n", res.Image, onBase(res.Base), res.Error)
		}
	}
	fr := r.Fleet
	fmt.Fprintf(&b, "%d rebased, %d unchanged, %d skipped, %d failed (lock %.1fs, build %.1fs, rebase %.1fs)\n",
		fr.Rebased, fr.Unchanged, fr.Skipped, fr.Failed, r.Seconds["lock"], r.Seconds["build"], r.Seconds["rebase"])
	return b.String()
}

// cveCount is the text report's " closes 3 CVEs" for an image (-o json
// lists them).
func cveCount(cves []string) string {
	switch len(cves) {
	case 0:
		return ""
	case 1:
		return " closes 1 CVE"
	}
	return fmt.Sprintf(" closes %d CVEs", len(cves))
}

// onBase is the text report's " (on apps/web:1)" for an image built on an
// image rather than on the golden base itself.
func onBase(base string) string {
	if base == "" {
		return ""
	}
	return " (on " + base + ")"
}
