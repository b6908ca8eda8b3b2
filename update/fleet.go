package update

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/rebase"
	"github.com/ingot-dev/ingot/sbom"
)

// Statuses of a Result.
const (
	Rebased   = "rebased"   // written, tag moved
	Unchanged = "unchanged" // the registry's image already is on the new base
	Planned   = "planned"   // dry run: would be rebased
	Skipped   = "skipped"   // left alone, see Reason
	Failed    = "failed"    // not done, see Error; rerun to retry
)

// ErrIncomplete is wrapped by Fleet's error when some images failed; the
// Report says which.
var ErrIncomplete = errors.New("fleet rebase incomplete")

// Result is what Fleet did with one image.
type Result struct {
	Image     string `json:"image"`
	Status    string `json:"status"`
	OldDigest string `json:"oldDigest"`
	NewDigest string `json:"newDigest,omitempty"`
	// CVEs are the CVEs moving the image closes (Target.CVEs), for the
	// images moved or planned.
	CVEs []string `json:"cves,omitempty"`
	// Depth and Base are the Target's; BaseDigest is, from depth 2 on, the
	// build of Base the image was moved onto (or is planned onto).
	Depth      int    `json:"depth,omitempty"`
	Base       string `json:"base,omitempty"`
	BaseDigest string `json:"baseDigest,omitempty"`
	// Reason says why it was skipped, or, for an image planned from
	// depth 2 on, that it waits for its base ("after its base ...").
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"` // why it failed
	// Changes are the per-platform changes rebase made or plans.
	Changes []*rebase.Change `json:"changes,omitempty"`
}

// Report is what Fleet did, image by image, sorted by depth, then image.
type Report struct {
	NewBase   string   `json:"newBase"`
	Results   []Result `json:"results"`
	Rebased   int      `json:"rebased"`
	Unchanged int      `json:"unchanged"`
	Planned   int      `json:"planned"`
	Skipped   int      `json:"skipped"`
	Failed    int      `json:"failed"`
}

// Done reports whether every image is rebased, unchanged or skipped.
func (r *Report) Done() bool { return r.Failed == 0 }

// Fleet rebases every target not marked Skip onto newBase (a reference to
// the new base build, usually its tag), at most WithJobs at a time, each
// with rebase.Remote: the tag moved only by the PUT of a manifest whose
// blobs (and, for an index, platform manifests) are written, nothing
// deleted, layers mounted rather than uploaded. The fleet shares one
// puller, pusher and rebase.Blobs, so each blob is mounted into each
// repository once, and a transport that keeps a connection per job alive
// (unless WithTransport gives one). Each image moved is reported with
// its Target's CVEs.
//
// Targets go depth by depth (Target.Depth): every image of depth 1 onto
// newBase, then each image of depth 2 from the build of its base it is on
// (Target.Base at Target.Via) onto the build that base was moved to, both
// pinned by digest, and so on. That build is this run's result for the old
// one; after an interrupted run (the base moved, the image not), it is
// where the base's tag points now, if that is on the new base and the
// inventory's tag history (WithInventory) shows the tag named the old build.
// An image whose base failed is reported Failed naming it and not touched;
// whose base was skipped, Skipped with the reason; in a dry run it is
// Planned "after its base". Result.Base and BaseDigest say where it went.
//
// The fleet is pinned to the build newBase names when it is first read: a
// tag moved meanwhile does not split the fleet over two bases. Each base is
// read once for the whole fleet (see WithTransport), and with WithPrefetch
// the apps' manifests and configs were read before. With SBOMs (WithSBOM),
// each app's current document is inspected from its own layers, the old
// base's layers once for the whole fleet (sbom.LayerCache). With
// WithInventory, the rebased images are recorded: with SBOMs by
// rebase.Remote, without from what the inventory knows of the old image, so
// no layer is read.
//
// Every target gets a Result, done or not. If any failed the error wraps
// ErrIncomplete and the Report says which; running Fleet again is safe and
// continues with them, since images already moved are on the new base.
// A cancelled ctx stops starting new rebases; those not started are
// reported failed with the context's error.
func Fleet(ctx context.Context, newBase name.Reference, targets []Target, opts ...Option) (*Report, error) {
	o := makeOptions(opts)
	rep := &Report{NewBase: newBase.String(), Results: make([]Result, len(targets))}
	pin := pinPath(newBase)
	rt := http.RoundTripper(newPinTransport(fleetTransport(o.rt, o.jobs), pin))
	if o.prefetch != nil && o.prefetch.pin == pin {
		// What the prefetch read is in its transport's cache.
		n := o.prefetch.Stop()
		o.log.Debug("read ahead before the fleet rebase", "targets", n, "of", len(targets))
		rt = o.prefetch.transport
	}
	// Reads go through go-containerregistry, writes through rebase's
	// Pusher; both over rt, with the same keychain and retry setting.
	wopts := []rebase.RemoteOption{rebase.WithTransport(rt), rebase.WithKeychain(o.keychain), rebase.WithRetries(o.retries)}
	remoteOpts := o.readOptions(rt)
	docs := newBaseDocs(remoteOpts)
	// One puller (reads) and one rebase.Pusher (writes, SBOMs included) for
	// the whole fleet: one ping and token exchange per repository, over
	// kept-alive connections. rebase adds rt, the keychain and the retry
	// setting to the caller's options itself.
	shared := slices.Clone(o.remote)
	if pl, err := remote.NewPuller(remoteOpts...); err == nil {
		shared = append(shared, remote.Reuse(pl))
	}
	pusher := rebase.NewPusher(append(slices.Clone(wopts), rebase.WithRemoteOptions(o.remote...))...)
	ropts := append(slices.Clone(wopts),
		rebase.WithRemoteOptions(shared...),
		rebase.WithPusher(pusher),
		rebase.WithBlobs(rebase.NewBlobs()),
		rebase.WithSBOM(o.sbom),
		rebase.WithRemoteLogger(quieter(o.log)),
		rebase.WithBaseSBOM(docs.forImage),
		// Each app's current document is read from its layers; the old
		// base's layers, shared by the whole fleet, are read once.
		rebase.WithAppSBOM(func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error) {
			return sbom.FromImage(ctx, img, sbom.WithName(repo), sbom.WithLayerCache(docs.layers))
		}),
	)
	if o.store != nil && o.sbom {
		// rebase.Remote records what it attaches; without SBOMs, one
		// records from the inventory instead of inspecting every image.
		ropts = append(ropts, rebase.WithInventory(o.store))
	}

	var mu sync.Mutex // serialises progress
	done := func(i int, r Result) {
		rep.Results[i] = r
		if o.progress != nil {
			mu.Lock()
			o.progress(r)
			mu.Unlock()
		}
	}
	// Depth by depth: an image built on an image is rebased once its base
	// is (see ledger.onto).
	led := &ledger{targets: targets, results: rep.Results, store: o.store, newBase: newBase, dryRun: o.dryRun}
	for _, level := range byDepth(targets) {
		sem := make(chan struct{}, o.jobs)
		var wg sync.WaitGroup
		for _, i := range level {
			req, r, ok := led.request(ctx, i)
			if !ok {
				done(i, r)
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				r.Status, r.Error = Failed, "not started: "+ctx.Err().Error()
				done(i, r)
				continue
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				done(i, one(ctx, req, r, targets[i], o, ropts, docs))
			}()
		}
		wg.Wait()
	}

	for _, r := range rep.Results {
		switch r.Status {
		case Rebased:
			rep.Rebased++
		case Unchanged:
			rep.Unchanged++
		case Planned:
			rep.Planned++
		case Skipped:
			rep.Skipped++
		default:
			rep.Failed++
		}
	}
	slices.SortFunc(rep.Results, func(a, b Result) int {
		return cmp.Or(cmp.Compare(max(a.Depth, 1), max(b.Depth, 1)), cmp.Compare(a.Image, b.Image))
	})
	if rep.Failed > 0 {
		return rep, fmt.Errorf("%w: %d of %d images not rebased onto %s (the others are done; rerun to retry the failed ones)",
			ErrIncomplete, rep.Failed, len(targets), newBase)
	}
	return rep, nil
}

// one does req, the rebase of target t, and returns r (its Result so
// far) completed.
func one(ctx context.Context, req rebase.Request, r Result, t Target, o *options, ropts []rebase.RemoteOption, docs *baseDocs) Result {
	ref := req.Image
	out, err := rebase.Remote(ctx, req, ropts...)
	if errors.Is(err, rebase.ErrNotOnBase) && req.OldBase != nil {
		// Not on the old build of its base: perhaps on the new one already
		// (an earlier run moved it; the targets are stale). Then it is
		// unchanged, and nothing is written.
		again := req
		again.OldBase = req.NewBase
		if o2, err2 := rebase.Remote(ctx, again, ropts...); err2 == nil && allUnchanged(o2) {
			out, err = o2, nil
		}
	}
	if err != nil {
		r.Status, r.Error = Failed, err.Error()
		o.log.Warn("rebase failed", "image", t.Image, "err", err)
		return r
	}
	// A dry run plans every platform without saying whether all are
	// unchanged; an image already on the new base is not "planned".
	out.Unchanged = allUnchanged(out)
	r.OldDigest, r.NewDigest, r.Changes = out.OldDigest, out.NewDigest, out.Changes
	switch {
	case out.Unchanged:
		r.Status, r.NewDigest = Unchanged, out.OldDigest
	case o.dryRun:
		r.Status = Planned
		r.CVEs = t.CVEs
	default:
		r.Status = Rebased
		r.CVEs = t.CVEs
		if o.store != nil && !o.sbom {
			if err := record(ctx, o.store, ref, out, req.NewBase, docs); err != nil {
				// The registry is done; only the inventory lags. A rerun
				// finds the image on the new base and leaves it alone.
				r.Status, r.Error = Failed, fmt.Sprintf("rebased to %s, but not recorded: %v", out.NewDigest, err)
				o.log.Warn("recording a rebased image failed", "image", t.Image, "err", err)
			}
		}
	}
	return r
}

// allUnchanged reports whether every platform of out already is on the
// new base.
func allUnchanged(out *rebase.Outcome) bool {
	if out.Unchanged {
		return true
	}
	for _, ch := range out.Changes {
		if !ch.Unchanged {
			return false
		}
	}
	return len(out.Changes) > 0
}

// baseDocs inspects each new base platform image once for the whole
// fleet.
type baseDocs struct {
	remote []remote.Option
	layers *sbom.LayerCache // base layers inspected, for the apps' documents too
	mu     sync.Mutex
	cache  map[string]*baseDoc
}

type baseDoc struct {
	once sync.Once
	doc  *sbom.Document
	err  error
}

func newBaseDocs(opts []remote.Option) *baseDocs {
	return &baseDocs{remote: opts, layers: sbom.NewLayerCache(), cache: map[string]*baseDoc{}}
}

func (c *baseDocs) entry(digest string) *baseDoc {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.cache[digest]
	if e == nil {
		e = &baseDoc{}
		c.cache[digest] = e
	}
	return e
}

// forImage is for rebase.WithBaseSBOM. SBOM copies what it takes from the
// document, so one document serves every image.
func (c *baseDocs) forImage(ctx context.Context, img v1.Image) (*sbom.Document, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, err
	}
	e := c.entry(d.String())
	e.once.Do(func() { e.doc, e.err = sbom.FromImage(ctx, img, sbom.WithLayerCache(c.layers)) })
	return e.doc, e.err
}

// byDigest reads the image ref names (once) and inspects it.
func (c *baseDocs) byDigest(ctx context.Context, ref name.Digest) (*sbom.Document, error) {
	e := c.entry(ref.DigestStr())
	e.once.Do(func() {
		img, err := remote.Image(ref, append(append([]remote.Option{}, c.remote...), remote.WithContext(ctx))...)
		if err != nil {
			e.err = fmt.Errorf("reading %s: %w", ref, err)
			return
		}
		e.doc, e.err = sbom.FromImage(ctx, img, sbom.WithLayerCache(c.layers))
	})
	return e.doc, e.err
}

// pinPath is the registry path of ref's manifest, which a fleet pins (see
// pinTransport).
func pinPath(ref name.Reference) string {
	return "/v2/" + ref.Context().RepositoryStr() + "/manifests/" + ref.Identifier()
}

// readOptions are go-containerregistry's options for a fleet's reads over
// rt: the caller's, then rt, the keychain and the retry setting, as rebase
// applies them to its own reads.
func (o *options) readOptions(rt http.RoundTripper) []remote.Option {
	opts := append(slices.Clone(o.remote), remote.WithTransport(rt))
	if o.keychain != nil {
		opts = append(opts, remote.WithAuthFromKeychain(o.keychain))
	}
	if o.retries == 0 {
		opts = append(opts, remote.WithRetryStatusCodes())
	}
	return opts
}

// fleetTransport is rt, or by default a transport that keeps enough idle
// connections per registry for jobs rebases at once (http.DefaultTransport
// keeps two, so a fleet would open a connection for most requests).
func fleetTransport(rt http.RoundTripper, jobs int) http.RoundTripper {
	if rt != nil {
		return rt
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 2*jobs + 4
	return t
}
