package inventory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// SyncProgress is how far a Sync is: Done of Total steps of Phase
// ("repositories": listing tags; "tags": reading and ingesting).
type SyncProgress struct {
	Phase   string
	Done    int
	Total   int
	Current string // the repository or tag just finished
}

// SyncReport is what a Sync did.
type SyncReport struct {
	Registry     string        `json:"registry"`
	Prefix       string        `json:"prefix,omitempty"`
	Repositories int           `json:"repositories"`
	Tags         int           `json:"tags"`
	Images       int           `json:"images"` // platform images seen
	Ingested     []Added       `json:"ingested"`
	Known        int           `json:"known"` // platform images the store already held
	Moved        []TagChange   `json:"moved"`
	Vanished     []TagChange   `json:"vanished"`
	Failures     []SyncFailure `json:"failures"`
}

// TagChange is a tag that moved (From → To) or vanished (To is "").
type TagChange struct {
	Repository string `json:"repository"`
	Tag        string `json:"tag"`
	From       string `json:"from"`
	To         string `json:"to,omitempty"`
}

// SyncFailure is a repository (or one of its tags) Sync could not read or
// record; the others were synced.
type SyncFailure struct {
	Repository string `json:"repository"`
	Tag        string `json:"tag,omitempty"`
	Error      string `json:"error"`
}

// referrerTag matches the tags of the OCI referrers tag schema
// ("sha256-<hex>") and cosign's (".sig", ".att", ".sbom"): not images.
var referrerTag = regexp.MustCompile(`^sha256-[0-9a-f]{64}(\..+)?$`)

// Sync crawls reg (every repository, or those under prefix) and records
// every tagged image: the catalog, each repository's tags, each tag's
// manifest or index and every platform image of it. An image the store
// already holds by repository and digest costs one manifest request; a new
// one is read from its attached SBOM, else inspected. Tags that point
// elsewhere than the store says are moved (the history keeps where they
// were), tags the registry no longer lists are removed (images are kept).
// Each image is recorded in its own transaction, so a Sync stopped half
// way leaves a consistent store, and rerunning it completes it; rerunning
// a finished Sync changes nothing.
//
// A repository that fails (authentication, server errors) does not stop
// the others: it is listed in the report's Failures, and its tags are not
// removed. The error is non-nil only when nothing could be crawled (the
// catalog failed) or ctx ended.
func (s *Store) Sync(ctx context.Context, reg name.Registry, prefix string, opts ...IngestOption) (*SyncReport, error) {
	o := newIngestOptions(opts)
	if err := o.withPuller(ctx); err != nil {
		return nil, err
	}
	ropts := o.ropts
	prefix = strings.Trim(prefix, "/")
	rep := &SyncReport{Registry: reg.Name(), Prefix: prefix, Ingested: []Added{}, Moved: []TagChange{}, Vanished: []TagChange{}, Failures: []SyncFailure{}}

	all, err := remote.Catalog(ctx, reg, ropts...)
	if err != nil {
		return rep, fmt.Errorf("listing the repositories of %s (check the registry address, --insecure for plain HTTP, and your credentials): %w", reg.Name(), err)
	}
	var repos []name.Repository
	for _, r := range all {
		if prefix == "" || r == prefix || strings.HasPrefix(r, prefix+"/") {
			repos = append(repos, reg.Repo(r))
		}
	}
	rep.Repositories = len(repos)

	var mu sync.Mutex // guards rep and progress
	fail := func(repo name.Repository, tag string, err error) {
		mu.Lock()
		defer mu.Unlock()
		o.log.Warn("sync failed", "repository", repo.Name(), "tag", tag, "err", err)
		rep.Failures = append(rep.Failures, SyncFailure{Repository: repo.Name(), Tag: tag, Error: err.Error()})
	}
	done := 0
	step := func(phase string, total int, cur string) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if o.progress != nil {
			o.progress(SyncProgress{Phase: phase, Done: done, Total: total, Current: cur})
		}
	}

	// Each repository's tags, and what the store says they point at.
	type item struct {
		repo int
		tag  string
	}
	listed := make([][]string, len(repos))
	stored := make([]map[string]string, len(repos))
	ok := make([]bool, len(repos)) // every tag of the repository was synced
	var items []item
	forEach(ctx, o.jobs, len(repos), func(i int) {
		defer step("repositories", len(repos), repos[i].Name())
		tags, err := remote.List(repos[i], ropts...)
		if te := (*transport.Error)(nil); errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
			tags, err = nil, nil // in the catalog, but every tag deleted
		}
		if err != nil {
			fail(repos[i], "", fmt.Errorf("listing the tags: %w", err))
			return
		}
		st, err := s.Tags(ctx, repos[i].Name())
		if err != nil {
			fail(repos[i], "", err)
			return
		}
		tags = slices.DeleteFunc(tags, referrerTag.MatchString)
		slices.Sort(tags)
		mu.Lock()
		listed[i], stored[i], ok[i] = tags, st, true
		for _, t := range tags {
			items = append(items, item{i, t})
		}
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Or(cmp.Compare(a.repo, b.repo), strings.Compare(a.tag, b.tag)) })
	rep.Tags = len(items)

	// Each tag: its manifest, and the images it names. Tags naming the same
	// digest in a repository are ingested one after the other, so the
	// second finds the image known.
	var locks sync.Map
	done = 0
	forEach(ctx, o.jobs, len(items), func(k int) {
		it := items[k]
		repo := repos[it.repo]
		defer step("tags", len(items), repo.Name()+":"+it.tag)
		desc, err := remote.Get(repo.Tag(it.tag), ropts...)
		if err != nil {
			fail(repo, it.tag, fmt.Errorf("reading the manifest: %w", err))
			mu.Lock()
			ok[it.repo] = false
			mu.Unlock()
			return
		}
		l, _ := locks.LoadOrStore(repo.Name()+"@"+desc.Digest.String(), &sync.Mutex{})
		l.(*sync.Mutex).Lock()
		tags := []string{it.tag}
		if stored[it.repo][it.tag] == desc.Digest.String() {
			tags = nil // already there: known images cost no write
		}
		added, err := s.ingest(ctx, o, repo, desc, tags)
		l.(*sync.Mutex).Unlock()
		if errors.Is(err, errNotImage) {
			return
		}
		if err != nil {
			fail(repo, it.tag, err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, a := range added {
			rep.Images++
			if a.From == FromKnown {
				rep.Known++
			} else {
				rep.Ingested = append(rep.Ingested, a)
			}
		}
		if err != nil {
			ok[it.repo] = false
			return
		}
		if from, had := stored[it.repo][it.tag]; had && from != desc.Digest.String() {
			rep.Moved = append(rep.Moved, TagChange{Repository: repo.Name(), Tag: it.tag, From: from, To: desc.Digest.String()})
		}
	})
	if err := ctx.Err(); err != nil {
		return rep, err
	}

	// Tags the registry no longer lists, in repositories read completely.
	for i, repo := range repos {
		if !ok[i] {
			continue
		}
		for _, tag := range slices.Sorted(maps.Keys(stored[i])) {
			if _, found := slices.BinarySearch(listed[i], tag); found {
				continue
			}
			if err := s.RemoveTag(ctx, repo.Name(), tag); err != nil {
				fail(repo, tag, err)
				continue
			}
			rep.Vanished = append(rep.Vanished, TagChange{Repository: repo.Name(), Tag: tag, From: stored[i][tag]})
		}
	}
	if err := s.vanishedRepositories(ctx, reg, prefix, all, rep); err != nil {
		return rep, err
	}
	sortReport(rep)
	return rep, nil
}

// vanishedRepositories removes the tags of the repositories under prefix
// that the store holds but the registry's catalog no longer lists.
func (s *Store) vanishedRepositories(ctx context.Context, reg name.Registry, prefix string, catalog []string, rep *SyncReport) error {
	base := reg.Name()
	if prefix != "" {
		base += "/" + prefix
	}
	var images []Image
	for _, f := range []Filter{{Repository: base + "/"}, {Repository: base}} {
		ims, err := s.List(ctx, f)
		if err != nil {
			return err
		}
		images = append(images, ims...)
	}
	listed := make(map[string]bool, len(catalog))
	for _, r := range catalog {
		listed[reg.Name()+"/"+r] = true
	}
	gone := map[string]bool{}
	for _, im := range images {
		if !listed[im.Repository] {
			gone[im.Repository] = true
		}
	}
	for _, repo := range slices.Sorted(maps.Keys(gone)) {
		tags, err := s.Tags(ctx, repo)
		if err != nil {
			return err
		}
		for _, tag := range slices.Sorted(maps.Keys(tags)) {
			if err := s.RemoveTag(ctx, repo, tag); err != nil {
				rep.Failures = append(rep.Failures, SyncFailure{Repository: repo, Tag: tag, Error: err.Error()})
				continue
			}
			rep.Vanished = append(rep.Vanished, TagChange{Repository: repo, Tag: tag, From: tags[tag]})
		}
	}
	return nil
}

// sortReport orders the report's lists, so that equal syncs give equal
// reports.
func sortReport(rep *SyncReport) {
	slices.SortFunc(rep.Ingested, func(a, b Added) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), strings.Compare(a.Digest, b.Digest))
	})
	byTag := func(a, b TagChange) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), strings.Compare(a.Tag, b.Tag))
	}
	slices.SortFunc(rep.Moved, byTag)
	slices.SortFunc(rep.Vanished, byTag)
	slices.SortFunc(rep.Failures, func(a, b SyncFailure) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), strings.Compare(a.Tag, b.Tag))
	})
}

// forEach calls f(0..n-1) with at most jobs calls at once, and stops
// starting new ones when ctx ends.
func forEach(ctx context.Context, jobs, n int, f func(i int)) {
	sem := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}
