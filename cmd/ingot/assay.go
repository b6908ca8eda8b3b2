package main

import (
	"bytes"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/vuln/report"
	"github.com/ingot-dev/ingot/vuln/scan"
)

func init() { register(newAssayCmd) }

func newAssayCmd() *cobra.Command {
	var (
		filter         inventory.Filter
		feedsDB, vexDB string
		failOnFlag     string
		noVEX          bool
		workers        int
		imagesPerOwner int
	)
	cmd := &cobra.Command{
		Use:   "assay",
		Short: "Re-match the whole inventory against the current feeds and report by owner",
		Long: `Re-match every image of the inventory (or those --repo, --owner and --base
select) against the feed store, apply VEX decisions, and report by owner: for
each owner, the images with findings in the layers it owns, and their counts
by priority. The owner of a finding is the owner of the layer that brought the
package (the base's team for base layers), else the image's.

The feeds are loaded into memory once and each distinct (ecosystem, name,
version) of the fleet is matched once, so a fleet of images sharing bases
costs about as much as its distinct packages. Without an image at hand,
priorities cannot weigh exposure (use "ingot scan" for one image).

--fail-on exits with status 3 when any finding reaches that priority.`,
		Example: `  ingot assay
  ingot assay --owner platform -o json
  ingot assay --db postgres://ingot@db/ingot --fail-on critical`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			failOn, err := parseFailOn(failOnFlag)
			if err != nil {
				return err
			}
			db, err := loadFeeds(ctx, feedsDB)
			if err != nil {
				return err
			}
			decisions, err := loadDecisions(ctx, vexDB, noVEX)
			if err != nil {
				return err
			}
			inv, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer inv.Close()
			opts := []scan.Option{scan.WithVEX(decisions), scan.WithLogger(logger(cmd)), scan.WithWorkers(workers)}
			if isTerminal() {
				opts = append(opts, scan.WithProgress(func(done, total int) {
					fmt.Fprintf(cmd.ErrOrStderr(), "\rassaying images: %d", done)
					if done == total {
						fmt.Fprintln(cmd.ErrOrStderr())
					}
				}))
			}
			a, err := scan.New(db, opts...).Assay(ctx, inv, filter)
			if err != nil {
				return err
			}
			logger(cmd).Debug("assayed the inventory", "images", a.Images, "packages", a.Packages,
				"advisories", db.Len(), "seconds", a.TotalSeconds)
			if err := printOut(cmd, a, func() string { return assayText(a, imagesPerOwner) }); err != nil {
				return err
			}
			return checkFailOn(cmd, failOn, "the inventory", a.Summary)
		},
	}
	addDBFlag(cmd, false)
	fl := cmd.Flags()
	fl.StringVar(&filter.Repository, "repo", "", "only this repository (or every one under a prefix ending in /)")
	fl.StringVar(&filter.Owner, "owner", "", "only the images of this owner (its team alone is enough)")
	fl.StringVar(&filter.Base, "base", "", "only the images built on this base, transitively")
	fl.StringVar(&feedsDB, "feeds-db", "", "the feed store file (default $INGOT_FEEDS_DB, else feeds.db in $INGOT_DATA_DIR)")
	fl.StringVar(&vexDB, "vex-db", "", vexDBHelp)
	fl.BoolVar(&noVEX, "no-vex", false, "ignore VEX decisions")
	fl.StringVar(&failOnFlag, "fail-on", "", "exit 3 when findings reach this priority: critical, high, medium or low")
	fl.IntVar(&workers, "workers", 4, "images read and matched at once")
	fl.IntVar(&imagesPerOwner, "images", 10, "images listed per owner in the text report (0: all)")
	return cmd
}

func assayText(a *scan.Assay, perOwner int) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d images, %d distinct packages: %s\n", a.Images, a.Packages, report.SummaryLine(a.Summary))
	for _, o := range a.Owners {
		fmt.Fprintf(&b, "\n%s: %d images, %s\n", o.Owner, len(o.Images), report.SummaryLine(o.Summary))
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  IMAGE\tCRITICAL\tHIGH\tMEDIUM\tLOW\tNEGLIGIBLE\tUNPRIORITISED\tSUPPRESSED")
		for i, im := range o.Images {
			if perOwner > 0 && i == perOwner {
				fmt.Fprintf(tw, "  … %d more (-o json or --images 0 lists all)\n", len(o.Images)-perOwner)
				break
			}
			s := im.Summary
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", im.Ref, s.Critical, s.High, s.Medium, s.Low, s.Negligible, s.Unprioritised, s.Suppressed)
		}
		tw.Flush()
	}
	return b.String()
}
