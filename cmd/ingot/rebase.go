package main

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/rebase"
)

func init() { register(newRebaseCmd) }

type rebaseFlags struct {
	onto, oldBase, tag string
	force, dryRun      bool
	insecure, undo     bool
	noSBOM             bool
}

// undoResult is what --undo prints.
type undoResult struct {
	Tag  string `json:"tag"`
	From string `json:"from"`
	To   string `json:"to"`
}

func newRebaseCmd() *cobra.Command {
	var f rebaseFlags
	cmd := &cobra.Command{
		Use:   "rebase REF --onto NEWBASE | rebase --undo REF",
		Short: "Move an image onto a newer build of its base without rebuilding it",
		Long: `Rebase an application image (or every platform of an index) in its registry
onto a newer build of its golden base: the app's layers are kept byte for byte
and never uploaded again (they are mounted across repositories); only a config
and a manifest per platform plus the index are written, and the tag moves last.
A tag that was pushed to while its image was being rebased is left alone: the
rebase fails, naming what the tag names now, and a rerun rebases that.

The old base comes from the image's ingot lineage, or --old-base for images
ingot did not build (e.g. built FROM a Debian image). The rebase is refused
unless the image's bottom layers are exactly the old base's (the first layer
that differs is named), the platforms match, and the new base is a build of
the same golden image (--force overrides only the last check).

The new config takes the new base's Env (PATH...), user and labels where the
app inherited them, and keeps the app's own values, entrypoint, cmd, workdir
and ports; created is the later of the app's and the new base's. The new SBOM
(SPDX and CycloneDX) is composed from the new base's and the app's packages
and attached; the old and new images are recorded in the inventory, whose tag
history lets --undo move the tag back.`,
		Example: `  ingot rebase 127.0.0.1:5000/apps/web:1 --onto 127.0.0.1:5000/golden/base:2 --insecure
  ingot rebase registry.example/apps/web:1 --onto registry.example/golden/base:2 --dry-run -o json
  ingot rebase registry.example/apps/tool:3 --old-base debian:12.5 --onto debian:12.8 --tag registry.example/apps/tool:3-patched
  ingot rebase --undo registry.example/apps/web:1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.undo {
				return runUndo(cmd, args[0], f)
			}
			return runRebase(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.onto, "onto", "", "the new base image or index (required unless --undo)")
	fl.StringVar(&f.oldBase, "old-base", "", "the old base (default: from the image's ingot lineage)")
	fl.StringVar(&f.tag, "tag", "", "write the result to this tag instead of moving REF's tag")
	fl.BoolVar(&f.force, "force", false, "accept a new base that is not a build of the same golden image")
	fl.BoolVar(&f.dryRun, "dry-run", false, "check and print what would change; write nothing")
	fl.BoolVar(&f.insecure, "insecure", false, "allow a plain-HTTP registry")
	fl.BoolVar(&f.undo, "undo", false, "move REF's tag back to its previous digest (from the inventory's tag history)")
	fl.BoolVar(&f.noSBOM, "no-sbom", false, "do not compose and attach the new SBOMs")
	addDBFlag(cmd, false)
	return cmd
}

func parseRef(s string, insecure bool) (name.Reference, error) {
	var opts []name.Option
	if insecure {
		opts = append(opts, name.Insecure)
	}
	r, err := name.ParseReference(s, opts...)
	if err != nil {
		return nil, fmt.Errorf("reading the reference %q: %w (expected registry/repository:tag or @sha256:...)", s, err)
	}
	return r, nil
}

func runRebase(cmd *cobra.Command, ref string, f rebaseFlags) error {
	if f.onto == "" {
		return fmt.Errorf("name the new base with --onto (e.g. --onto registry/golden/base:2)")
	}
	var req rebase.Request
	var err error
	if req.Image, err = parseRef(ref, f.insecure); err != nil {
		return err
	}
	if req.NewBase, err = parseRef(f.onto, f.insecure); err != nil {
		return err
	}
	if f.oldBase != "" {
		if req.OldBase, err = parseRef(f.oldBase, f.insecure); err != nil {
			return err
		}
	}
	if f.tag != "" {
		if req.Tag, err = parseRef(f.tag, f.insecure); err != nil {
			return err
		}
	}
	req.Force, req.DryRun = f.force, f.dryRun
	log := logger(cmd)
	opts := []rebase.RemoteOption{
		rebase.WithKeychain(authn.DefaultKeychain),
		rebase.WithSBOM(!f.noSBOM),
		rebase.WithRemoteLogger(log),
	}
	if !f.dryRun {
		store, err := openStore(cmd)
		if err != nil {
			return err
		}
		defer store.Close()
		opts = append(opts, rebase.WithInventory(store))
	}
	out, err := rebase.Remote(cmd.Context(), req, opts...)
	if err != nil {
		return fmt.Errorf("rebasing %s onto %s: %w", ref, f.onto, err)
	}
	for _, ch := range out.Changes {
		for _, w := range ch.Warnings {
			log.Warn(w, "platform", ch.Platform)
		}
	}
	return printOut(cmd, out, func() string { return rebaseText(out) })
}

func rebaseText(o *rebase.Outcome) string {
	var b strings.Builder
	verb := "rebased"
	switch {
	case o.DryRun:
		verb = "would rebase"
	case o.Unchanged:
		verb = "already on the new base:"
	}
	kind := "image"
	if o.Index {
		kind = "index"
	}
	fmt.Fprintf(&b, "%s %s %s", verb, kind, o.Image)
	if o.NewDigest != "" && !o.Unchanged {
		fmt.Fprintf(&b, " → %s", o.Target)
	}
	b.WriteString("\n")
	if o.Index && o.NewDigest != "" {
		fmt.Fprintf(&b, "  %-16s %s → %s\n", "index", short(o.OldDigest), short(o.NewDigest))
	}
	for _, ch := range o.Changes {
		nd := short(ch.NewDigest)
		if nd == "" {
			nd = "(not written)"
		}
		fmt.Fprintf(&b, "  %-16s %s → %s  base %s → %s\n", ch.Platform, short(ch.OldDigest), nd, short(ch.OldBase.Digest), short(ch.NewBase.Digest))
		for _, e := range ch.Env {
			fmt.Fprintf(&b, "  %-16s   env %s: %q → %q\n", "", e.Key, e.Old, e.New)
		}
		if ch.User != nil {
			fmt.Fprintf(&b, "  %-16s   user: %q → %q\n", "", ch.User.Old, ch.User.New)
		}
		for _, w := range ch.Warnings {
			fmt.Fprintf(&b, "  %-16s   warning: %s\n", "", w)
		}
	}
	return b.String()
}

// short abbreviates "sha256:<hex>" to 12 hex digits for text output.
func short(d string) string {
	if _, h, ok := strings.Cut(d, ":"); ok && len(h) > 12 {
		return h[:12]
	}
	return d
}

func runUndo(cmd *cobra.Command, ref string, f rebaseFlags) error {
	if f.onto != "" || f.oldBase != "" || f.tag != "" || f.dryRun {
		return fmt.Errorf("--undo takes only REF (a tag), and --db/--insecure")
	}
	r, err := parseRef(ref, f.insecure)
	if err != nil {
		return err
	}
	tag, ok := r.(name.Tag)
	if !ok {
		return fmt.Errorf("--undo moves a tag: give REF as registry/repository:tag, not a digest")
	}
	store, err := openStore(cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	from, to, err := rebase.Undo(cmd.Context(), store, tag, rebase.WithKeychain(authn.DefaultKeychain))
	if err != nil {
		return err
	}
	res := undoResult{Tag: tag.String(), From: from, To: to}
	return printOut(cmd, res, func() string {
		return fmt.Sprintf("moved %s back: %s → %s\n", res.Tag, short(from), short(to))
	})
}
