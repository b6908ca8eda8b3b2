package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/inventory"
)

func init() { register(newInventoryCmd) }

// flagDB is the --db of the inventory commands.
var flagDB string

// inventoryCommands holds the constructors of "ingot inventory" subcommands
// defined in other files (add, sync); see registerInventory.
var inventoryCommands []func() *cobra.Command

// registerInventory adds a subcommand to "ingot inventory"; call it from an
// init function. The subcommand inherits --db; open the store with openStore.
func registerInventory(newCmd func() *cobra.Command) {
	inventoryCommands = append(inventoryCommands, newCmd)
}

const dbHelp = `the inventory: a postgres:// URL or a SQLite file (default: $INGOT_DB, else
inventory.db in $INGOT_DATA_DIR or ~/.local/share/ingot)`

func addDBFlag(cmd *cobra.Command, persistent bool) {
	fs := cmd.Flags()
	if persistent {
		fs = cmd.PersistentFlags()
	}
	fs.StringVar(&flagDB, "db", "", dbHelp)
}

// openStore opens the inventory --db (or $INGOT_DB, or the default) names.
func openStore(cmd *cobra.Command) (*inventory.Store, error) {
	return inventory.Open(cmd.Context(), flagDB, inventory.WithLogger(logger(cmd)))
}

func newInventoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inventory",
		Short: "Know every image of the fleet: layers, packages, lineage and owners",
		Long: `The inventory records every image ingot builds or is shown: its layers and who
owns each, the packages of every layer, the base it was built on (up to the
root) and where its tags pointed over time. "ingot who-has" asks it which
images hold a package.

It lives in a SQLite file in the user's data directory, or in PostgreSQL when
--db or $INGOT_DB is a postgres:// URL (several CI runners can share one).`,
	}
	addDBFlag(cmd, true)
	cmd.AddCommand(newInventoryLsCmd(), newInventoryShowCmd(), newInventoryDependentsCmd(), newInventoryOwnerCmd())
	for _, c := range inventoryCommands {
		cmd.AddCommand(c())
	}
	return cmd
}

func newInventoryLsCmd() *cobra.Command {
	var f inventory.Filter
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the images of the inventory",
		Long: `List images with their tags, platform and owner.

--repo selects one repository, or every repository under a prefix ending in
"/"; --owner an owner (its team alone is enough); --base the images built on
any build of a base, directly or through other images (as "inventory
dependents" does).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			images, err := s.List(cmd.Context(), f)
			if err != nil {
				return err
			}
			if images == nil {
				images = []inventory.Image{}
			}
			return printOut(cmd, images, func() string { return imagesTable(images) })
		},
	}
	cmd.Flags().StringVar(&f.Owner, "owner", "", "only images of this owner")
	cmd.Flags().StringVar(&f.Repository, "repo", "", `only this repository (a prefix if it ends in "/")`)
	cmd.Flags().StringVar(&f.Base, "base", "", "only images built on this base (repository, repository:tag or digest)")
	return cmd
}

func imagesTable(images []inventory.Image) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "REPOSITORY\tDIGEST\tTAGS\tPLATFORM\tOWNER\tBASE")
	for _, im := range images {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", im.Repository, inventory.ShortID(im.Digest), dash(strings.Join(im.Tags, ",")),
			dash(im.Platform), dash(im.Owner), dash(im.BaseName))
	}
	w.Flush()
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newInventoryShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show REF",
		Short: "Show an image's layers, owners, packages and lineage",
		Long: `Show what the inventory knows about the images REF names: every layer with
its owner, whether it came with the base or with the app, its packages, and
the image's lineage up to the root base.

REF is repository:tag (every platform of the tag), repository@digest, a
digest, or a repository (every image of it).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			ds, err := s.Show(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printOut(cmd, ds, func() string { return detailsText(ds) })
		},
	}
}

func detailsText(ds []inventory.Detail) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("\n")
		}
		im := d.Image
		fmt.Fprintf(&b, "%s\n", im.Ref())
		fmt.Fprintf(&b, "  tags:     %s\n  platform: %s\n  owner:    %s\n", dash(strings.Join(im.Tags, ", ")), dash(im.Platform), dash(im.Owner))
		if im.Created != "" {
			fmt.Fprintf(&b, "  created:  %s\n", im.Created)
		}
		if len(d.Lineage) > 0 {
			b.WriteString("  lineage:  ")
			for j, l := range d.Lineage {
				if j > 0 {
					b.WriteString(" → ")
				}
				b.WriteString(l.Repository + "@" + inventory.ShortID(l.Digest))
			}
			b.WriteString("\n")
		}
		for _, l := range d.Layers {
			name := dash(l.Name)
			if l.Position < 0 {
				name = "(packages of unknown layer)"
			}
			fmt.Fprintf(&b, "  layer %s %s (%s) owner %s, %d packages\n", name, inventory.ShortID(l.DiffID), l.Origin, dash(l.Owner), len(l.Packages))
			w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
			for _, p := range l.Packages {
				src := ""
				if p.Source != "" && p.Source != p.Name {
					src = "source " + p.Source
				}
				fmt.Fprintf(w, "    %s\t%s\t%s\t%s\n", p.Ecosystem, p.Name, p.Version, src)
			}
			w.Flush()
		}
	}
	return b.String()
}

func newInventoryDependentsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dependents BASE",
		Short: "List every image built on any build of a base, transitively",
		Long: `List the images built on BASE, directly (depth 1) or on images that are
(depth 2 and more): what must be rebuilt or rebased when the base changes.

BASE is a repository (every build of it, and images whose lineage names it
even if the base itself was never ingested), repository:tag,
repository@digest or a digest.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			deps, err := s.Dependents(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if deps == nil {
				deps = []inventory.Dependent{}
			}
			return printOut(cmd, deps, func() string {
				var b strings.Builder
				w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "DEPTH\tREPOSITORY\tDIGEST\tTAGS\tOWNER\tBUILT ON")
				for _, d := range deps {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", d.Depth, d.Image.Repository, inventory.ShortID(d.Image.Digest),
						dash(strings.Join(d.Image.Tags, ",")), dash(d.Image.Owner), inventory.ShortID(d.Via))
				}
				w.Flush()
				return b.String()
			})
		},
	}
}

func newInventoryOwnerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "owner",
		Short: "Assign owners to images ingot did not build",
	}
	var team, contact, layer string
	set := &cobra.Command{
		Use:   "set REF --team TEAM [--contact CONTACT] [--layer NAME]",
		Short: "Set the owner of a repository's images, or of one of their layers",
		Long: `Set who must act on the images of REF's repository (and those ingested later),
or with --layer on their layers of that name. An owner set here overrides the
owners recorded from SBOMs and image annotations; for a base layer, the owner
set on the base's repository applies in every image built on it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.SetOwner(cmd.Context(), args[0], team, contact, layer); err != nil {
				return err
			}
			res := map[string]string{"ref": args[0], "team": team, "contact": contact, "layer": layer}
			return printOut(cmd, res, func() string {
				what := "images of " + args[0]
				if layer != "" {
					what = "layer " + layer + " of " + what
				}
				if contact != "" {
					team += " <" + contact + ">"
				}
				return fmt.Sprintf("%s: owned by %s\n", what, team)
			})
		},
	}
	set.Flags().StringVar(&team, "team", "", "the owning team (required)")
	set.Flags().StringVar(&contact, "contact", "", "how to reach the team (an e-mail address, a channel)")
	set.Flags().StringVar(&layer, "layer", "", "set the owner of the layers of this name only")
	_ = set.MarkFlagRequired("team")
	cmd.AddCommand(set)
	return cmd
}
