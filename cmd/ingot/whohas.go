package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/inventory"
)

func init() { register(newWhoHasCmd) }

func newWhoHasCmd() *cobra.Command {
	var purl string
	cmd := &cobra.Command{
		Use:   "who-has NAME [CONSTRAINT] | who-has --purl PURL",
		Short: "Find every image holding a package, the layer, its owner, and who must act",
		Long: `Ask the inventory which images hold a package: for every image, the layer that
brought it, that layer's owner, and whether the package came with the base
(the base's owner must act, then dependents rebase) or with the app (the
app's owner must act).

NAME is a package name, or a Debian source package name: "who-has openssl"
also finds libssl3, whose source is openssl (marked "via source openssl").

CONSTRAINT compares versions with the ecosystem's ordering — dpkg's for deb
packages, semver for Go and npm, PEP 440 for PyPI (2.0.0rc1 < 2.0.0 <
2.0.0.post1), and a loose part-by-part order (numbers as numbers) for other
ecosystems and for versions their scheme cannot read: "< 3.0.15",
">= 1.2, < 1.3", "= 2.0" (or a bare version), "!= 2.0"; dpkg's "<<" and ">>"
work too.

--purl PURL matches by package URL: without a version, every package whose
purl (without version) is PURL or lies under it ("pkg:golang/golang.org/x"
finds every golang.org/x module); with a version, exactly that version.`,
		Example: `  ingot who-has libssl3 "< 3.0.15-1~deb12u1"
  ingot who-has openssl
  ingot who-has golang.org/x/net ">= v0.20.0, < v0.33.0" -o json
  ingot who-has --purl pkg:npm/lodash@4.17.20`,
		Args: cobra.RangeArgs(0, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var q inventory.Query
			switch {
			case purl != "" && len(args) > 0:
				return fmt.Errorf("give a package NAME or --purl, not both")
			case purl != "":
				q.PURL = purl
			case len(args) == 0:
				return fmt.Errorf("name a package (ingot who-has openssl) or give --purl")
			default:
				q.Name = args[0]
				if len(args) == 2 {
					c, err := inventory.ParseConstraint(args[1])
					if err != nil {
						return err
					}
					q.Constraint = c
				}
			}
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			hits, err := s.WhoHas(cmd.Context(), q)
			if err != nil {
				return err
			}
			if hits == nil {
				hits = []inventory.Hit{}
			}
			return printOut(cmd, hits, func() string { return hitsText(q, hits) })
		},
	}
	addDBFlag(cmd, false)
	cmd.Flags().StringVar(&purl, "purl", "", "match by package URL instead of NAME")
	return cmd
}

func hitsText(q inventory.Query, hits []inventory.Hit) string {
	var b strings.Builder
	what := q.PURL
	if what == "" {
		what = q.Name
		if c := q.Constraint.String(); c != "" {
			what += " " + c
		}
	}
	if len(hits) == 0 {
		return fmt.Sprintf("no image in the inventory has %s\n", what)
	}
	images := map[string]bool{}
	var comparators []string
	for _, h := range hits {
		images[h.Image.Ref()] = true
		if h.Comparator != "" && !slices.Contains(comparators, h.Comparator) {
			comparators = append(comparators, h.Comparator)
		}
	}
	fmt.Fprintf(&b, "%d images have %s", len(images), what)
	if len(comparators) > 0 {
		fmt.Fprintf(&b, " (versions compared with %s order)", strings.Join(comparators, ", "))
	}
	b.WriteString("\n")
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "IMAGE\tTAGS\tPACKAGE\tVERSION\tLAYER\tOWNER\tFROM")
	for _, h := range hits {
		pkg := h.Package
		if h.BySource {
			pkg += " (via source " + h.Source + ")"
		}
		layer := dash(h.Layer) + " " + inventory.ShortID(h.DiffID)
		from := h.Origin
		switch {
		case h.Origin == inventory.OriginBase && h.BaseName != "":
			from = "base " + h.BaseName
		case h.Origin == inventory.OriginApp && h.Image.BaseName == "" && h.Image.BaseDigest == "":
			// An image built on nothing (a golden base): its own layer's owner acts.
			from = "own layer"
		}
		fmt.Fprintf(w, "%s@%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.Image.Repository, inventory.ShortID(h.Image.Digest), dash(strings.Join(h.Image.Tags, ",")),
			pkg, h.Version, layer, dash(h.Owner), from)
	}
	w.Flush()
	return b.String()
}
