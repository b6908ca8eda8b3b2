package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/inventory"
)

func init() {
	registerInventory(newInventoryAddCmd)
	registerInventory(newInventorySyncCmd)
}

func newInventoryAddCmd() *cobra.Command {
	var insecure bool
	var repository string
	cmd := &cobra.Command{
		Use:   "add REF...",
		Short: "Record images from a registry, an OCI layout or a docker tarball in the inventory",
		Long: `Record the images REF names (every platform of an index). For a registry
image: from the CycloneDX SBOM attached to each image when there is one that
describes exactly that image, else by inspecting its layers (dpkg database, Go
binaries, npm and Python packages). An image the inventory already holds is not
read again; REF's tag is pointed at it (a moved tag is kept in its history).

REF may also be an OCI layout directory or a docker tarball (as in "ingot sbom");
such images are inspected and recorded under --repository, or else under the
name in the index's org.opencontainers.image.title annotation (ingot builds
set it).`,
		Example: `  ingot inventory add registry.example.com/team/app:1.4
  ingot inventory add --insecure 127.0.0.1:5000/golden/base@sha256:...
  ingot inventory add ./out/base
  ingot inventory add --repository registry.example.com/team/web ./out/web`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			added := []inventory.Added{}
			opts := []inventory.IngestOption{inventory.WithRemote(remoteOptions()...), inventory.WithIngestLogger(logger(cmd))}
			for _, a := range args {
				var got []inventory.Added
				if r, ok := registryRef(a, insecure); ok {
					got, err = s.Add(cmd.Context(), r, opts...)
				} else {
					got, err = addLocal(cmd, s, a, repository, opts)
				}
				if err != nil {
					return err
				}
				added = append(added, got...)
			}
			return printOut(cmd, added, func() string { return addedTable(added) })
		},
	}
	cmd.Flags().BoolVar(&insecure, "insecure", false, "use plain HTTP for the registry (a test registry on 127.0.0.1)")
	cmd.Flags().StringVar(&repository, "repository", "", "repository name to record a layout or tarball under (default: the index's image title)")
	return cmd
}

// addLocal records the images of an OCI layout or docker tarball.
func addLocal(cmd *cobra.Command, s *inventory.Store, ref, repository string, opts []inventory.IngestOption) ([]inventory.Added, error) {
	idx, err := source.Index(cmd.Context(), ref)
	if err != nil {
		return nil, err
	}
	if repository == "" {
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("reading the index of %s: %w", ref, err)
		}
		repository = im.Annotations[image.AnnotationTitle]
		if repository == "" {
			return nil, fmt.Errorf("%s does not name its image (no %s annotation): give the name with --repository REGISTRY/REPOSITORY", ref, image.AnnotationTitle)
		}
	}
	return s.AddLocal(cmd.Context(), repository, idx, nil, opts...)
}

func addedTable(added []inventory.Added) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "REPOSITORY\tDIGEST\tTAGS\tPLATFORM\tFROM\tPACKAGES")
	for _, a := range added {
		pk := "-"
		if a.From != inventory.FromKnown {
			pk = fmt.Sprint(a.Packages)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Repository, inventory.ShortID(a.Digest), dash(strings.Join(a.Tags, ",")), dash(a.Platform), a.From, pk)
	}
	w.Flush()
	return b.String()
}

// errSyncFailures makes "inventory sync" exit non-zero after its report.
var errSyncFailures = errors.New("some repositories failed")

func newInventorySyncCmd() *cobra.Command {
	var insecure bool
	var jobs int
	cmd := &cobra.Command{
		Use:   "sync REGISTRY[/PREFIX]",
		Short: "Record every image of a registry in the inventory, and where its tags moved",
		Long: `Crawl a registry (its catalog, every repository's tags, their manifests and
indexes) and record every platform image in the inventory. Images the
inventory already holds are recognised by digest and cost one manifest
request; new ones are read from their attached SBOM, else inspected. Tags
that now point elsewhere are moved (their history keeps where they were);
tags the registry no longer lists are removed, and their images kept.

Rerunning changes nothing. A sync that was interrupted leaves a consistent
inventory (each image is recorded in one transaction) and the next run
completes it. Repositories that fail (authentication, server errors) do not
stop the others; they are listed at the end and the exit status is 1.`,
		Example: `  ingot inventory sync registry.example.com/team
  ingot inventory sync --insecure 127.0.0.1:5000 --jobs 8 -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			host, prefix, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(args[0], "https://"), "http://"), "/")
			var nopts []name.Option
			if insecure {
				nopts = append(nopts, name.Insecure)
			}
			reg, err := name.NewRegistry(host, append(nopts, name.StrictValidation)...)
			if err != nil {
				return fmt.Errorf("parsing the registry %q: %w (expected HOST[:PORT][/PREFIX])", args[0], err)
			}
			s, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			opts := []inventory.IngestOption{
				inventory.WithRemote(remoteOptions()...), inventory.WithJobs(jobs), inventory.WithIngestLogger(logger(cmd)),
			}
			var prog *syncProgress
			if isTerminal() {
				prog = &syncProgress{w: cmd.ErrOrStderr()}
				opts = append(opts, inventory.WithSyncProgress(prog.show))
			}
			rep, err := s.Sync(cmd.Context(), reg, prefix, opts...)
			prog.end()
			if err != nil {
				return err
			}
			if err := printOut(cmd, rep, func() string { return syncText(rep) }); err != nil {
				return err
			}
			if len(rep.Failures) > 0 {
				return fmt.Errorf("%w: %d of %d repositories of %s could not be synced completely (see the list above; rerun to retry)",
					errSyncFailures, failedRepos(rep), rep.Repositories, rep.Registry)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&insecure, "insecure", false, "use plain HTTP for the registry (a test registry on 127.0.0.1)")
	cmd.Flags().IntVar(&jobs, "jobs", 4, "registry requests and ingests at once")
	return cmd
}

func failedRepos(rep *inventory.SyncReport) int {
	seen := map[string]bool{}
	for _, f := range rep.Failures {
		seen[f.Repository] = true
	}
	return len(seen)
}

func syncText(rep *inventory.SyncReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "synced %s", rep.Registry)
	if rep.Prefix != "" {
		fmt.Fprintf(&b, "/%s", rep.Prefix)
	}
	fmt.Fprintf(&b, ": %d repositories, %d tags, %d images (%d new, %d known)\n", rep.Repositories, rep.Tags, rep.Images, len(rep.Ingested), rep.Known)
	for _, a := range rep.Ingested {
		fmt.Fprintf(&b, "  new      %s@%s %s (%s, %d packages)\n", a.Repository, inventory.ShortID(a.Digest), dash(a.Platform), a.From, a.Packages)
	}
	for _, m := range rep.Moved {
		fmt.Fprintf(&b, "  moved    %s:%s %s → %s\n", m.Repository, m.Tag, inventory.ShortID(m.From), inventory.ShortID(m.To))
	}
	for _, v := range rep.Vanished {
		fmt.Fprintf(&b, "  vanished %s:%s (was %s)\n", v.Repository, v.Tag, inventory.ShortID(v.From))
	}
	for _, f := range rep.Failures {
		what := f.Repository
		if f.Tag != "" {
			what += ":" + f.Tag
		}
		fmt.Fprintf(&b, "  FAILED   %s: %s\n", what, f.Error)
	}
	return b.String()
}

// syncProgress redraws one status line on a terminal.
type syncProgress struct {
	mu    sync.Mutex
	w     io.Writer
	drawn bool
}

func (p *syncProgress) show(s inventory.SyncProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := s.Current
	if len(cur) > 60 {
		cur = "…" + cur[len(cur)-59:]
	}
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d %s", s.Phase, s.Done, s.Total, cur)
	p.drawn = true
}

func (p *syncProgress) end() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
