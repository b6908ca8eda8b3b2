package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

func init() { register(newFeedCmd) }

func newFeedCmd() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "feed",
		Short: "Import, download and inspect the vulnerability feeds ingot matches against",
		Long: `Keep a local copy of the vulnerability feeds: OSV records for the Debian, Go,
npm and PyPI ecosystems, and the Debian security tracker's per-release
statuses. "ingot scan" and "ingot assay" match against this copy, offline.

The copy is a SQLite file: --feeds-db, else $INGOT_FEEDS_DB, else feeds.db in
$INGOT_DATA_DIR (default ~/.local/share/ingot).`,
	}
	cmd.PersistentFlags().StringVar(&dbPath, "feeds-db", "", "the feed store file (default $INGOT_FEEDS_DB, else feeds.db in $INGOT_DATA_DIR)")
	cmd.AddCommand(newFeedImportCmd(&dbPath), newFeedSyncCmd(&dbPath), newFeedStatusCmd(&dbPath), newFeedShowCmd(&dbPath))
	return cmd
}

type feedImportResult struct {
	Path  string     `json:"path"`
	Stats feed.Stats `json:"stats"`
}

func newFeedImportCmd(dbPath *string) *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "import FILE|DIR...",
		Short: "Import OSV records or the Debian security tracker JSON from files, offline",
		Long: `Import feeds from local files into the feed store:

  - an OSV record (.json), or a directory of them (searched recursively);
  - an OSV ecosystem archive (all.zip) for Debian, Go, npm or PyPI;
  - the Debian security tracker's JSON (the file its /tracker/data/json
    serves), recognised by its content.

Records of other ecosystems and withdrawn records are ignored. Import is
idempotent: an OSV record replaces the stored one with the same id, and a
tracker file replaces all stored tracker data (it is a full snapshot).
Records that cannot be read are skipped and listed with their file; with
--strict the command then fails (nothing of that path is kept).`,
		Example: `  ingot feed import ./osv/go
  ingot feed import Debian-all.zip debian-tracker.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := feed.Open(cmd.Context(), *dbPath, feed.WithLogger(logger(cmd)))
			if err != nil {
				return err
			}
			defer s.Close()
			var results []feedImportResult
			for _, p := range args {
				var opts []feed.ImportOption
				if isTerminal() {
					opts = append(opts, feed.WithProgress(func(n int) {
						fmt.Fprintf(cmd.ErrOrStderr(), "\r%s: %d files read", p, n)
					}))
				}
				st, err := importOne(cmd, s, p, strict, opts)
				if isTerminal() {
					fmt.Fprintln(cmd.ErrOrStderr())
				}
				if err != nil {
					return err
				}
				results = append(results, feedImportResult{Path: p, Stats: st})
			}
			return printOut(cmd, results, func() string { return importText(results) })
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "fail when any record cannot be read")
	return cmd
}

func importOne(cmd *cobra.Command, s *feed.Store, path string, strict bool, opts []feed.ImportOption) (feed.Stats, error) {
	if strict {
		opts = append(opts, feed.WithStrict())
	}
	return s.Import(cmd.Context(), path, opts...)
}

func importText(results []feedImportResult) string {
	var b strings.Builder
	for _, r := range results {
		kind := "OSV"
		if r.Stats.Tracker {
			kind = "Debian security tracker"
		}
		fmt.Fprintf(&b, "%s (%s): %d advisories imported from %d files, %d ignored (other ecosystems or withdrawn), %d skipped\n",
			r.Path, kind, r.Stats.Imported, r.Stats.Files, r.Stats.Ignored, len(r.Stats.Skipped))
		for _, p := range r.Stats.Skipped {
			rec := ""
			if p.Record != "" {
				rec = " " + p.Record
			}
			fmt.Fprintf(&b, "  skipped %s%s: %s\n", p.File, rec, p.Error)
		}
	}
	return b.String()
}

func newFeedSyncCmd(dbPath *string) *cobra.Command {
	var r feed.Remote
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Download the feeds and import them",
		Long: `Download the vulnerability feeds and import them (as "ingot feed import" does).

ingot has no built-in feed location; give them with flags or the environment:

  --osv-url, $INGOT_OSV_URL
      the base URL of the OSV project's per-ecosystem archives (its public
      storage bucket of OSV vulnerabilities, or a mirror of it): ingot
      downloads BASE/<ecosystem>/all.zip for each of --ecosystem.
  --debian-tracker-url, $INGOT_DEBIAN_TRACKER_URL
      the URL of the Debian security tracker's JSON: the tracker's
      /tracker/data/json, or a mirror of that file.

On a network that cannot reach them, download the files elsewhere and use
"ingot feed import FILE".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env := feed.RemoteFromEnv()
			if r.OSV == "" {
				r.OSV = env.OSV
			}
			if r.DebianTracker == "" {
				r.DebianTracker = env.DebianTracker
			}
			if r.OSV == "" && r.DebianTracker == "" {
				return feed.ErrNoRemote
			}
			s, err := feed.Open(cmd.Context(), *dbPath, feed.WithLogger(logger(cmd)))
			if err != nil {
				return err
			}
			defer s.Close()
			var opts []feed.SyncOption
			if isTerminal() {
				opts = append(opts, feed.WithDownloadProgress(func(u string, n int64) {
					fmt.Fprintf(cmd.ErrOrStderr(), "\r%s: %d MiB", u, n>>20)
				}))
			}
			res, err := s.Sync(cmd.Context(), r, opts...)
			if isTerminal() {
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			if err != nil {
				return err
			}
			return printOut(cmd, res, func() string {
				var b strings.Builder
				for _, x := range res {
					fmt.Fprintf(&b, "%s: %d bytes, %d advisories imported, %d ignored, %d skipped\n",
						x.URL, x.Bytes, x.Stats.Imported, x.Stats.Ignored, len(x.Stats.Skipped))
				}
				return b.String()
			})
		},
	}
	cmd.Flags().StringVar(&r.OSV, "osv-url", "", "base URL of the OSV per-ecosystem all.zip archives (default $INGOT_OSV_URL)")
	cmd.Flags().StringSliceVar(&r.Ecosystems, "ecosystem", feed.DefaultEcosystems, "OSV ecosystems to download")
	cmd.Flags().StringVar(&r.DebianTracker, "debian-tracker-url", "", "URL of the Debian security tracker JSON (default $INGOT_DEBIAN_TRACKER_URL)")
	return cmd
}

type feedStatus struct {
	Path    string         `json:"path"`
	Counts  map[string]int `json:"advisories"`
	Sources []feed.Source  `json:"sources"`
}

func newFeedStatusCmd(dbPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show what the feed store holds and where it came from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := feed.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			st := feedStatus{Path: s.Path()}
			if st.Counts, err = s.Counts(cmd.Context()); err != nil {
				return err
			}
			if st.Sources, err = s.Sources(cmd.Context()); err != nil {
				return err
			}
			return printOut(cmd, st, func() string {
				var b strings.Builder
				fmt.Fprintf(&b, "feed store %s\n", st.Path)
				if len(st.Sources) == 0 {
					b.WriteString("empty: run \"ingot feed import\" or \"ingot feed sync\"\n")
					return b.String()
				}
				fmt.Fprintf(&b, "%d OSV advisories, %d Debian security tracker advisories\n\n", st.Counts[vuln.SourceOSV], st.Counts[vuln.SourceDebianTracker])
				tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "IMPORTED\tKIND\tADVISORIES\tFROM")
				for _, src := range st.Sources {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", src.Imported, src.Kind, src.Advisories, src.Origin)
				}
				tw.Flush()
				return b.String()
			})
		},
	}
}

func newFeedShowCmd(dbPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show the advisories stored under an id or alias (GO-2023-2102, CVE-2023-39325)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := feed.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			db, err := s.Load(cmd.Context())
			if err != nil {
				return err
			}
			advs := db.Get(args[0])
			if len(advs) == 0 {
				return fmt.Errorf("no advisory %s in the feed store %s (import or sync the feed that has it)", args[0], s.Path())
			}
			return printOut(cmd, advs, func() string { return showText(advs) })
		},
	}
}

func showText(advs []*vuln.Advisory) string {
	var b strings.Builder
	for i, a := range advs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s)", a.ID, a.Source)
		if len(a.Aliases) > 0 {
			fmt.Fprintf(&b, ", also %s", strings.Join(a.Aliases, ", "))
		}
		fmt.Fprintf(&b, "\n  %s\n", a.Summary)
		for _, s := range a.Severity {
			fmt.Fprintf(&b, "  severity %s %s\n", s.Type, s.Score)
		}
		var rows []string
		for _, af := range a.Affected {
			where := af.Ecosystem
			if af.DebianRelease != "" {
				where += ":" + af.DebianRelease
			}
			row := fmt.Sprintf("  %s %s: %s", where, af.Package, describeAffected(af))
			rows = append(rows, row)
		}
		sort.Strings(rows)
		b.WriteString(strings.Join(rows, "\n") + "\n")
	}
	return b.String()
}

func describeAffected(af vuln.Affected) string {
	if d := af.Debian; d != nil {
		s := d.Status
		if d.FixedVersion != "" {
			s += ", fixed in " + d.FixedVersion
		}
		if d.Urgency != "" {
			s += ", urgency " + d.Urgency
		}
		if d.NoDSA != "" {
			s += ", no-dsa"
			if d.NoDSAReason != "" {
				s += " (" + d.NoDSAReason + ")"
			}
		}
		return s
	}
	var parts []string
	for _, r := range af.Ranges {
		var evs []string
		for _, e := range r.Events {
			switch {
			case e.Introduced != "":
				evs = append(evs, "introduced "+e.Introduced)
			case e.Fixed != "":
				evs = append(evs, "fixed "+e.Fixed)
			case e.LastAffected != "":
				evs = append(evs, "last affected "+e.LastAffected)
			case e.Limit != "":
				evs = append(evs, "limit "+e.Limit)
			}
		}
		parts = append(parts, strings.Join(evs, ", "))
	}
	if len(af.Versions) > 0 {
		parts = append(parts, fmt.Sprintf("%d listed versions", len(af.Versions)))
	}
	return strings.Join(parts, "; ")
}
