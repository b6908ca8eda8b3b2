package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/changelog"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/report"
	"github.com/ingot-dev/ingot/vuln/scan"
	"github.com/ingot-dev/ingot/vuln/vex"
)

func init() { register(newScanCmd) }

// exitFindings is the status of a scan or assay that --fail-on failed: 3,
// so that CI can tell "vulnerable" from "could not scan" (1).
const exitFindings = 3

// failOnError is returned when findings reach --fail-on; main exits with
// exitFindings (the message is printed by the command).
type failOnError struct{ msg string }

func (e *failOnError) Error() string { return e.msg }
func (e *failOnError) ExitCode() int { return exitFindings }

var priorities = []vuln.Priority{vuln.Critical, vuln.High, vuln.Medium, vuln.Low}

func parseFailOn(s string) (vuln.Priority, error) {
	if s == "" {
		return "", nil
	}
	if p := vuln.Priority(s); slices.Contains(priorities, p) {
		return p, nil
	}
	return "", fmt.Errorf("--fail-on %q: use critical, high, medium or low", s)
}

// checkFailOn returns a failOnError, after printing why, when results have
// findings at priority p or above (unprioritised findings count, since
// nothing says they are below p).
func checkFailOn(cmd *cobra.Command, p vuln.Priority, what string, sums ...report.Summary) error {
	if p == "" {
		return nil
	}
	n := 0
	for _, s := range sums {
		n += s.AtLeast(p) + s.Unprioritised
	}
	if n == 0 {
		return nil
	}
	msg := fmt.Sprintf("%s: %d findings at priority %s or above (--fail-on %s); fix them, or record a decision with \"ingot vex set\"", what, n, p, p)
	fmt.Fprintln(cmd.ErrOrStderr(), "ingot:", msg)
	return &failOnError{msg: msg}
}

// loadFeeds opens the feed store and loads it into memory.
func loadFeeds(ctx context.Context, path string) (*feed.DB, error) {
	s, err := feed.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	db, err := s.Load(ctx)
	if err != nil {
		return nil, err
	}
	if db.Len() == 0 {
		return nil, fmt.Errorf("the feed store %s is empty: import feeds with \"ingot feed import\" or \"ingot feed sync\" first", s.Path())
	}
	return db, nil
}

// loadDecisions reads the VEX decisions, none when noVEX.
func loadDecisions(ctx context.Context, path string, noVEX bool) ([]vex.Decision, error) {
	if noVEX {
		return nil, nil
	}
	s, err := vex.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.List(ctx)
}

type scanFlags struct {
	format, platform, failOn, out string
	feedsDB, vexDB                string
	insecure, changelogs, noVEX   bool
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan REF",
		Short: "Find the vulnerabilities of any image, prioritised, with VEX decisions applied",
		Long: `Scan an image: inspect it (as "ingot sbom" does), match its packages against
the local feed store ("ingot feed import|sync") with each ecosystem's exact
version rules, prioritise each finding with a one-line reason (severity or
Debian urgency, fix availability, Debian status, and whether the image's
entrypoint loads the package), and apply the VEX decisions of "ingot vex".

` + refForms + ` From an index, every platform is scanned unless --platform
chooses one.

--changelogs also asks the Debian archive (the machine's apt configuration)
for newer versions of the image's packages and adds the CVEs their changelogs
say they fix: it works with nothing but a mirror.

--format table (the default) shows priority, vulnerability, package,
installed → fixed version, layer/owner and reason; json prints the findings
(as -o json does); sarif prints SARIF 2.1.0 for code scanning dashboards.

--fail-on critical|high|medium|low exits with status 3 when a finding needing
action (not suppressed by a VEX decision) has that priority or higher, or no
priority; other errors exit with 1.`,
		Example: `  ingot scan ./out/base
  ingot scan --insecure 127.0.0.1:5000/golden/base:1 --fail-on high
  ingot scan --format sarif --out scan.sarif docker-archive:./app.tar`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScan(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "table, json or sarif")
	fl.StringVar(&f.platform, "platform", "", "scan only this platform of an index (linux/amd64)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 3 when findings reach this priority: critical, high, medium or low")
	fl.StringVar(&f.out, "out", "", "write the report to FILE instead of standard output")
	fl.StringVar(&f.feedsDB, "feeds-db", "", "the feed store file (default $INGOT_FEEDS_DB, else feeds.db in $INGOT_DATA_DIR)")
	fl.StringVar(&f.vexDB, "vex-db", "", vexDBHelp)
	fl.BoolVar(&f.noVEX, "no-vex", false, "ignore VEX decisions")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP and unverified TLS for the registry")
	fl.BoolVar(&f.changelogs, "changelogs", false, "add the CVEs that newer Debian versions' changelogs close (needs the archive)")
	return cmd
}

func runScan(cmd *cobra.Command, ref string, f scanFlags) error {
	ctx := cmd.Context()
	failOn, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if f.format == "table" && flagOutput == "json" {
		f.format = "json"
	}
	switch f.format {
	case "table", "json", "sarif":
	default:
		return fmt.Errorf("--format %q: use table, json or sarif", f.format)
	}
	db, err := loadFeeds(ctx, f.feedsDB)
	if err != nil {
		return err
	}
	decisions, err := loadDecisions(ctx, f.vexDB, f.noVEX)
	if err != nil {
		return err
	}
	log := logger(cmd)
	opts := []scan.Option{scan.WithVEX(decisions), scan.WithLogger(log)}
	if f.changelogs {
		opts = append(opts, scan.WithChangelogs(changelog.WithLogger(log)))
	}
	sc := scan.New(db, opts...)
	imgs, err := platformImages(ctx, ref, f.platform, f.insecure)
	if err != nil {
		return fmt.Errorf("opening %s: %w", ref, err)
	}
	repo, tags := registryName(ref, f.insecure)
	var results []*report.Result
	var sums []report.Summary
	for _, pi := range imgs {
		sopts := []sbom.Option{sbom.WithLogger(log), sbom.WithName(repo, tags...)}
		if isTerminal() {
			sopts = append(sopts, sbom.WithLayerProgress(func(i, n int) {
				fmt.Fprintf(cmd.ErrOrStderr(), "\rinspecting %s layer %d/%d", pi.platform, i+1, n)
				if i+1 == n {
					fmt.Fprintln(cmd.ErrOrStderr())
				}
			}))
		}
		doc, err := sbom.FromImage(ctx, pi.img, sopts...)
		if err != nil {
			return fmt.Errorf("inspecting %s (%s): %w", ref, pi.platform, err)
		}
		if doc.Image.Name == "" {
			doc.Image.Name = ref // a layout or tarball without lineage: scope VEX by what the user named
		}
		res, err := sc.Scan(ctx, ref, pi.img, doc)
		if err != nil {
			return err
		}
		results = append(results, res)
		sums = append(sums, res.Summary)
	}
	err = writeReport(cmd, f.out, func(w io.Writer) error {
		switch f.format {
		case "sarif":
			return report.SARIF(w, results...)
		case "json":
			return report.JSON(w, results)
		}
		for i, r := range results {
			if i > 0 {
				fmt.Fprintln(w)
			}
			if err := report.Table(w, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return checkFailOn(cmd, failOn, ref, sums...)
}

// writeReport writes through write to file, or to standard output when file
// is "" or "-".
func writeReport(cmd *cobra.Command, file string, write func(io.Writer) error) error {
	if file == "" || file == "-" {
		return write(cmd.OutOrStdout())
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
