package update

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/inventory"
)

// Prefetch reads ahead, in the background, what a fleet rebase will read of
// each target and what cannot change meanwhile: the target's manifest (or
// index and its platform manifests) and configs, by the digests the
// inventory has for it. What the inventory itself holds of them
// (WithInventory; inventory.Document) is taken from there, and only the
// rest is read from the registry. `ingot update` starts it before
// refreshing the lock and rebuilding the base, when the registry is idle,
// so that during the fleet rebase the registry only answers the tag checks
// and the writes.
//
// It fills the cache of the transport Fleet then uses (WithPrefetch):
// content-addressed answers only (see pinTransport), so a target whose tag
// moved in between is read again, by its tag, as without Prefetch. A read
// that fails is left to the fleet, which reads it again and reports it.
type Prefetch struct {
	transport *pinTransport
	pin       string
	remote    []remote.Option
	jobs      int
	store     *inventory.Store
	log       *slog.Logger

	wg      sync.WaitGroup
	cancel  context.CancelFunc
	done    atomic.Int64
	started bool
}

// prefetchJobs bounds the reads in flight: prefetching shares the machine
// with the lock refresh and the base build, which it must not slow down.
const prefetchJobs = 4

// NewPrefetch returns a Prefetch for a fleet that will be rebased onto
// newBase with opts (WithTransport, WithRemoteOptions, WithKeychain,
// WithRetries, WithJobs as for Fleet; WithInventory, whose documents are
// taken before the registry is asked). Pass it to Fleet with WithPrefetch.
func NewPrefetch(newBase name.Reference, opts ...Option) *Prefetch {
	o := makeOptions(opts)
	pin := pinPath(newBase)
	p := &Prefetch{transport: newPinTransport(fleetTransport(o.rt, o.jobs), pin), pin: pin, jobs: prefetchJobs, store: o.store, log: o.log}
	p.remote = o.readOptions(p.transport)
	// One puller for every read: one ping and token exchange per
	// repository, as in Fleet.
	if pl, err := remote.NewPuller(p.remote...); err == nil {
		p.remote = append(p.remote, remote.Reuse(pl))
	}
	return p
}

// Start reads targets' manifests and configs in the background, at most a
// few at a time, until done or Stop.
func (p *Prefetch) Start(ctx context.Context, targets []Target) {
	ctx, p.cancel = context.WithCancel(ctx)
	p.started = true
	work := make(chan Target)
	for range p.jobs {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for t := range work {
				p.read(ctx, t)
			}
		}()
	}
	go func() {
		defer close(work)
		held := p.fromInventory(ctx, targets)
		for i, t := range targets {
			if held[i] {
				p.done.Add(1)
				continue
			}
			if t.Skip != "" || t.OldDigest == "" {
				continue
			}
			select {
			case work <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Wait waits until every target is read (or failed) and returns how many
// were read completely.
func (p *Prefetch) Wait() int {
	p.wg.Wait()
	return int(p.done.Load())
}

// Stop ends the reads still in flight and waits for them; it returns how
// many targets were read completely. Fleet calls it before it starts.
func (p *Prefetch) Stop() int {
	if p.started {
		p.cancel()
		p.wg.Wait()
	}
	return int(p.done.Load())
}

// read reads one target by digest through the caching transport.
func (p *Prefetch) read(ctx context.Context, t Target) {
	ref, err := name.ParseReference(t.Image)
	if err != nil {
		return
	}
	opts := append(append([]remote.Option{}, p.remote...), remote.WithContext(ctx))
	desc, err := remote.Get(ref.Context().Digest(t.OldDigest), opts...)
	if err != nil {
		return
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return
		}
		for _, m := range im.Manifests {
			img, err := idx.Image(m.Digest)
			if err != nil {
				return
			}
			if _, err := img.RawConfigFile(); err != nil {
				return
			}
		}
	} else {
		img, err := desc.Image()
		if err != nil {
			return
		}
		if _, err := img.RawConfigFile(); err != nil {
			return
		}
	}
	p.done.Add(1)
}
