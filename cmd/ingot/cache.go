package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/internal/cachedir"
)

func init() { register(newCacheCmd) }

const cacheAreasHelp = `The cache directory ($INGOT_CACHE_DIR, else ~/.cache/ingot) has these areas:

  sha256        downloaded .debs and Debian indexes, by SHA256
  parsed        this ingot's parsed Debian indexes (parsed/v<format>.<parser>)
  parsed-other  parsed indexes of other ingot versions, which this one never reads
  layers        encoded layers of built images, one directory per image build
  tmp           downloads in progress; leftovers of interrupted runs

An entry's last use is its modification time: ingot sets it whenever it
reuses the entry, at most once an hour (so --unused-for under an hour may
remove entries in use).`

func newCacheCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Measure and prune the download, parsed-index and layer cache",
		Long: `Measure and prune ingot's cache directory, which otherwise grows with every
new lock and every new ingot binary (each makes new layer-cache entries).

` + cacheAreasHelp,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&dir, "cache-dir", "", "the cache directory (default $INGOT_CACHE_DIR, else ~/.cache/ingot)")
	cacheDir := func() (string, error) {
		if dir != "" {
			return dir, nil
		}
		return fetch.DefaultDir()
	}
	cmd.AddCommand(newCacheDuCmd(cacheDir), newCachePruneCmd(cacheDir))
	return cmd
}

func newCacheDuCmd(cacheDir func() (string, error)) *cobra.Command {
	return &cobra.Command{
		Use:   "du",
		Short: "Show the size, entries and last use of each cache area",
		Long: `Show, for each area of the cache directory, how many entries it holds, their
size, and when the least and the most recently used entry was last used.
Nothing is changed.

` + cacheAreasHelp,
		Example: `  ingot cache du
  ingot cache du -o json
  ingot cache du --cache-dir /var/cache/ingot`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := cacheDir()
			if err != nil {
				return err
			}
			r, err := cachedir.Measure(cmd.Context(), dir, cachedir.WithLogger(logger(cmd)))
			if err != nil {
				return err
			}
			return printOut(cmd, r, func() string { return duText(r, time.Now()) })
		},
	}
}

func duText(r *cachedir.Report, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cache %s\n", r.Dir)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AREA\tENTRIES\tSIZE\tOLDEST USE\tNEWEST USE")
	for _, u := range r.Areas {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", u.Area, u.Entries, humanSize(u.Bytes), lastUse(u.Oldest, now), lastUse(u.Newest, now))
	}
	fmt.Fprintf(tw, "total\t%d\t%s\n", r.Entries, humanSize(r.Bytes))
	tw.Flush()
	return b.String()
}

// lastUse shows a last use as its age.
func lastUse(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d/time.Hour))
	case d >= time.Minute:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	}
	return "just now"
}

// days is a duration flag that also takes days ("30d").
type days time.Duration

func (d *days) String() string { return time.Duration(*d).String() }
func (d *days) Type() string   { return "duration" }
func (d *days) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		v, err := strconv.ParseFloat(n, 64)
		if err != nil || !(v >= 0 && v*float64(24*time.Hour) < math.MaxInt64) { // also refuses NaN
			return fmt.Errorf("%q: want a number of days (30d) or a duration (720h)", s)
		}
		*d = days(time.Duration(v * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("%q: want a duration (720h, 90m) or a number of days (30d)", s)
	}
	*d = days(v)
	return nil
}

// pruneOutput is what prune prints with -o json.
type pruneOutput struct {
	*cachedir.Pruned
	UnusedFor string `json:"unusedFor,omitempty"` // not with --all
	All       bool   `json:"all"`
}

func newCachePruneCmd(cacheDir func() (string, error)) *cobra.Command {
	var (
		all, dryRun bool
		unusedFor   = days(cachedir.DefaultUnusedFor)
	)
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Remove cache entries not used for a while (--unused-for, default 30 days)",
		Long: `Remove from the cache directory:

  - entries of sha256, parsed and layers not used for --unused-for (default
    720h, 30 days; "30d" works too);
  - parsed-other, whole: this ingot never reads it;
  - temporaries older than 24 hours (younger ones may be another ingot's
    download in progress).

--all removes every entry and every temporary instead: an ingot running at
that moment may then fail, and must be run again. --dry-run prints what would
be removed and removes nothing. -v lists every entry removed.

Pruning is safe while other ingot commands run: an entry in use is fresh and
kept, a layer-cache entry disappears at once (it is moved into tmp/, then
deleted), and an entry found missing is fetched or built again. Symlinks are
never followed, and a directory that does not look like an ingot cache (no
sha256/, parsed/ or layers/) is refused.

` + cacheAreasHelp,
		Example: `  ingot cache prune --dry-run
  ingot cache prune --unused-for 168h
  ingot cache prune --unused-for 7d -o json
  ingot cache prune --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all && cmd.Flags().Changed("unused-for") {
				return fmt.Errorf("give --all or --unused-for, not both: --all removes every entry, used or not")
			}
			dir, err := cacheDir()
			if err != nil {
				return err
			}
			res, err := cachedir.Prune(cmd.Context(), dir,
				cachedir.WithUnusedFor(time.Duration(unusedFor)),
				cachedir.WithAll(all),
				cachedir.WithDryRun(dryRun),
				cachedir.WithLogger(logger(cmd)))
			if res == nil {
				return err
			}
			out := pruneOutput{Pruned: res, All: all}
			if !all {
				out.UnusedFor = time.Duration(unusedFor).String()
			}
			if perr := printOut(cmd, out, func() string { return pruneText(out) }); err == nil {
				err = perr
			}
			return err
		},
	}
	cmd.Flags().Var(&unusedFor, "unused-for", `remove entries not used for this long ("720h", "30d")`)
	cmd.Flags().BoolVar(&all, "all", false, "remove every entry, used or not, and every temporary")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would be removed, remove nothing")
	return cmd
}

func pruneText(out pruneOutput) string {
	var b strings.Builder
	verb, what := "removed", "freed"
	if out.DryRun {
		verb, what = "would remove", "would free"
	}
	switch {
	case out.All:
		fmt.Fprintf(&b, "%s every entry of %s\n", verb, out.Dir)
	default:
		fmt.Fprintf(&b, "%s from %s: entries unused for %s, other parsed versions, stale temporaries\n", verb, out.Dir, out.UnusedFor)
	}
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AREA\tENTRIES\tSIZE")
	for _, a := range out.Areas {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", a.Area, a.Entries, humanSize(a.Bytes))
	}
	fmt.Fprintf(tw, "total\t%d\t%s\n", out.Entries, humanSize(out.Bytes))
	tw.Flush()
	fmt.Fprintf(&b, "%s %s\n", what, humanSize(out.Bytes))
	return b.String()
}
