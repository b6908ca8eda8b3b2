package rebase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/ref"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/sbom"
)

// Request is one rebase in a registry.
type Request struct {
	Image   name.Reference // the app image or index to rebase
	NewBase name.Reference // the base to move it onto
	// OldBase names the old base; nil: the image's lineage says which
	// layers are the base's, and the base it names is read, when
	// reachable, for the config values the app inherited.
	OldBase name.Reference
	// Tag is where the result goes; nil: Image when it is a tag, else the
	// result is written by digest only (to Image's repository).
	Tag    name.Reference
	Force  bool // see WithForce
	DryRun bool // plan only; write nothing
}

// Outcome is what Remote did.
type Outcome struct {
	Image     string    `json:"image"`     // the image as requested
	Target    string    `json:"target"`    // repository[:tag] written
	OldDigest string    `json:"oldDigest"` // the index's or manifest's digest before
	NewDigest string    `json:"newDigest"` // after ("" for a dry run)
	Index     bool      `json:"index"`     // an index (every platform) rather than one image
	DryRun    bool      `json:"dryRun,omitempty"`
	Unchanged bool      `json:"unchanged,omitempty"` // already on the new base: nothing written
	Changes   []*Change `json:"changes"`
	// Documents are what was written (the index, each manifest and
	// config), for the inventory to keep; none for a dry run or an
	// unchanged image.
	Documents []inventory.Document `json:"-"`
}

// Remote rebases req.Image in its registry: it reads the image (or index)
// and the bases, checks and builds the result (Index or Image), writes it
// (Write: configs and manifests only, layers mounted), attaches the
// composed SBOMs, moves the tag, and records everything in the inventory.
// An image already on the new base is reported Unchanged and nothing is
// written, so a rerun after an interruption is safe.
func Remote(ctx context.Context, req Request, opts ...RemoteOption) (*Outcome, error) {
	o := makeRemoteOptions(opts)
	if o.pusher == nil {
		o.pusher = newPusher(o)
	}
	if o.baseDoc == nil {
		o.baseDoc = func(ctx context.Context, img v1.Image) (*sbom.Document, error) { return sbom.FromImage(ctx, img) }
	}
	if o.appDoc == nil {
		o.appDoc = func(ctx context.Context, repo string, img v1.Image) (*sbom.Document, error) {
			return sbom.FromImage(ctx, img, sbom.WithName(repo))
		}
	}
	// One puller for the whole rebase's reads: token exchanges and pings
	// are done once. A caller's own Reuse (a fleet sharing one across
	// images) comes later and wins. Writes, SBOMs included, go through
	// o.pusher.
	read := o.readOptions()
	shared := slices.Clone(read)
	if pl, err := remote.NewPuller(read...); err == nil {
		shared = slices.Insert(shared, 0, remote.Reuse(pl))
	}
	o.remote = shared
	ropts := append(slices.Clone(o.remote), remote.WithContext(ctx))
	// The result goes to repo, and tag moves to it when there is one.
	repo := req.Image.Context()
	var tag *name.Tag
	switch {
	case req.Tag != nil:
		repo = req.Tag.Context()
		if t, ok := req.Tag.(name.Tag); ok {
			tag = &t
		}
	default:
		if t, ok := req.Image.(name.Tag); ok {
			tag = &t
		}
	}
	out := &Outcome{Image: req.Image.String(), Target: repo.Name(), DryRun: req.DryRun}
	if tag != nil {
		out.Target = tag.String()
	}

	app, err := fetch(ctx, req.Image, ropts)
	if err != nil {
		return nil, fmt.Errorf("reading the image %s: %w", req.Image, err)
	}
	out.OldDigest, out.Index = app.digest, app.index != nil
	nb, err := fetch(ctx, req.NewBase, ropts)
	if err != nil {
		return nil, fmt.Errorf("reading the new base %s: %w", req.NewBase, err)
	}
	var ob *fetched
	if req.OldBase != nil {
		if ob, err = fetch(ctx, req.OldBase, ropts); err != nil {
			return nil, fmt.Errorf("reading the old base %s: %w", req.OldBase, err)
		}
	}
	rb := []Option{WithForce(req.Force), WithNewBaseName(req.NewBase.String()), WithLogger(o.log)}
	if req.OldBase != nil {
		rb = append(rb, WithOldBaseName(req.OldBase.String()))
	}

	var result remote.Taggable
	if app.index != nil {
		newIdx := nb.asIndex()
		var oldIdx v1.ImageIndex
		if ob != nil {
			oldIdx = ob.asIndex()
		} else {
			oldIdx = lineageBases(ctx, app.index, ropts, o.log)
		}
		if req.DryRun {
			out.Changes, err = PlanIndex(ctx, app.index, oldIdx, newIdx, rb...)
			return out, err
		}
		idx, changes, err := Index(ctx, app.index, oldIdx, newIdx, rb...)
		if err != nil {
			return nil, err
		}
		out.Changes, result = changes, idx
	} else {
		cf, err := app.image.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("reading the config of %s: %w", req.Image, err)
		}
		p := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
		newImg, err := nb.forPlatform(p)
		if err != nil {
			return nil, fmt.Errorf("finding %s in the new base %s: %w", platformKey(p), req.NewBase, err)
		}
		var oldImg v1.Image
		if ob != nil {
			if oldImg, err = ob.forPlatform(p); err != nil {
				return nil, fmt.Errorf("finding %s in the old base %s: %w", platformKey(p), req.OldBase, err)
			}
		} else {
			oldImg = lineageBase(ctx, app.image, ropts, o.log)
		}
		if req.DryRun {
			ch, err := Plan(ctx, app.image, oldImg, newImg, rb...)
			if err != nil {
				return nil, err
			}
			out.Changes = []*Change{ch}
			return out, nil
		}
		img, ch, err := Image(ctx, app.image, oldImg, newImg, rb...)
		if err != nil {
			return nil, err
		}
		out.Changes, result = []*Change{ch}, img
	}
	out.Unchanged = true
	for _, ch := range out.Changes {
		out.Unchanged = out.Unchanged && ch.Unchanged
	}
	nd, err := digestOf(result)
	if err != nil {
		return nil, err
	}
	out.NewDigest = nd.String()
	if out.Unchanged && repo.Name() == req.Image.Context().Name() && (tag == nil || tag.String() == req.Image.String()) {
		return out, nil // already on the new base, where it is
	}

	if out.Documents, err = documentsOf(result); err != nil {
		return nil, err
	}

	// The app's layers, and the old base's, are in its repository: they
	// need neither a check nor a mount.
	if repo.Name() == req.Image.Context().Name() {
		for _, ch := range out.Changes {
			orig, err := app.byDigest(ch.OldDigest)
			if err != nil {
				return nil, err
			}
			if err := o.blobs.addManifest(repo, orig); err != nil {
				return nil, fmt.Errorf("reading the manifest of %s: %w", ch.OldDigest, err)
			}
		}
	}
	// SBOMs are referrers of the new manifests, so those are written by
	// digest first and the tag moved last; without SBOMs the tag is written
	// at once (Write: platform manifests by digest, then the tag).
	byDigest := o.sbom || tag == nil
	if byDigest {
		if _, err := o.pusher.write(ctx, repo.Digest(nd.String()), result, o.blobs); err != nil {
			return nil, err
		}
		o.log.Info("rebased manifests written", "image", out.Image, "digest", out.NewDigest)
	}
	var newDocs, oldDocs []*sbom.Document
	if o.sbom || o.store != nil {
		newDocs, oldDocs, err = o.documents(ctx, app, nb, out.Changes, repo)
		if err != nil {
			return nil, err
		}
	}
	if o.sbom {
		subs, err := subjects(result)
		if err != nil {
			return nil, fmt.Errorf("reading the manifests of %s to attach SBOMs to: %w", nd, err)
		}
		for _, d := range newDocs {
			sub, ok := subs[d.Image.Digest]
			if !ok {
				return nil, fmt.Errorf("attaching an SBOM to %s: no such manifest in %s", d.Image.Digest, nd)
			}
			if err := o.attachSBOM(ctx, repo, sub, d); err != nil {
				return nil, err
			}
		}
	}
	if tag != nil {
		// When the image's own tag moves after its manifests were written
		// (SBOMs attached to them meanwhile), or the inventory records
		// where the tag pointed, the tag is read again just before it
		// moves. The image's own tag must still name the image that was
		// rebased: a push to it in between is not overwritten with the
		// rebased old image.
		sameTag := req.Tag == nil || req.Tag.String() == req.Image.String()
		prev := ""
		if (byDigest && sameTag) || o.store != nil {
			d, err := remote.Head(*tag, ropts...)
			var te *transport.Error
			switch {
			case err == nil:
				prev = d.Digest.String()
			case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
			default:
				return nil, fmt.Errorf("reading tag %s before moving it to %s (the manifests are written; rerun to move the tag): %w", tag, nd, err)
			}
			if sameTag && prev != out.OldDigest {
				now := prev
				if now == "" {
					now = "nothing (deleted)"
				}
				return nil, fmt.Errorf("%w: %s now names %s, not the %s that was rebased; it is left alone (the rebased manifests are written as %s@%s): rerun to rebase what it names now",
					ErrTagMoved, tag, now, out.OldDigest, repo, nd)
			}
		}
		// Record where the tag pointed, so that Undo can go back to it.
		if o.store != nil && prev == out.OldDigest && repo.Name() == req.Image.Context().Name() {
			if err := record(ctx, o.store, oldDocs, nil, repo, tag, out.OldDigest, out.Index); err != nil {
				return nil, err
			}
		}
		if byDigest {
			if err := o.pusher.putManifestOf(ctx, *tag, result); err != nil {
				return nil, fmt.Errorf("moving tag %s to %s (the manifests are written; rerun to move the tag): %w", tag, nd, err)
			}
		} else if _, err := o.pusher.write(ctx, *tag, result, o.blobs); err != nil {
			return nil, err
		}
		o.log.Info("tag moved", "tag", tag.String(), "from", prev, "to", out.NewDigest)
	}
	if o.store != nil {
		if err := record(ctx, o.store, newDocs, out.Documents, repo, tag, out.NewDigest, out.Index); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func digestOf(t remote.Taggable) (v1.Hash, error) {
	switch v := t.(type) {
	case v1.ImageIndex:
		return v.Digest()
	case v1.Image:
		return v.Digest()
	}
	return v1.Hash{}, errors.New("neither an image nor an index")
}

// fetched is an image or an index read from a registry.
type fetched struct {
	ref    name.Reference
	digest string
	image  v1.Image
	index  v1.ImageIndex
}

func fetch(ctx context.Context, ref name.Reference, opts []remote.Option) (*fetched, error) {
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		return nil, err
	}
	f := &fetched{ref: ref, digest: desc.Digest.String()}
	if desc.MediaType.IsIndex() {
		f.index, err = desc.ImageIndex()
	} else {
		f.image, err = desc.Image()
	}
	return f, err
}

func (f *fetched) forPlatform(p v1.Platform) (v1.Image, error) {
	if f.image != nil {
		return f.image, nil // its platform is checked by Plan
	}
	return pick(f.index, p)
}

// asIndex returns the index, or a one-image index around the image.
func (f *fetched) asIndex() v1.ImageIndex {
	if f.index != nil {
		return f.index
	}
	var p *v1.Platform
	if cf, err := f.image.ConfigFile(); err == nil {
		p = &v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
	}
	return mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: f.image, Descriptor: v1.Descriptor{Platform: p}})
}

// lineageBase reads the old base an image's lineage names, by digest, for
// its config; nil when it cannot (the rebase then uses the lineage only).
func lineageBase(ctx context.Context, img v1.Image, opts []remote.Option, log *slog.Logger) v1.Image {
	lin, err := image.ReadLineage(img)
	if err != nil || lin.BaseName == "" || lin.BaseDigest == "" {
		return nil
	}
	repo, err := name.ParseReference(ref.Repository(lin.BaseName))
	if err != nil {
		return nil
	}
	ref := repo.Context().Digest(lin.BaseDigest)
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		log.Info("old base not readable; using the lineage only", "base", ref.String(), "err", err)
		return nil
	}
	b, err := desc.Image()
	if err != nil || ctx.Err() != nil {
		return nil
	}
	return b
}

// lineageBases is lineageBase for every platform of an index, as an index;
// nil if any platform's base cannot be read.
func lineageBases(ctx context.Context, idx v1.ImageIndex, opts []remote.Option, log *slog.Logger) v1.ImageIndex {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil
	}
	var adds []mutate.IndexAddendum
	for _, d := range im.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			return nil
		}
		b := lineageBase(ctx, img, opts, log)
		if b == nil {
			return nil
		}
		p, err := platformOf(img, d)
		if err != nil {
			return nil
		}
		adds = append(adds, mutate.IndexAddendum{Add: b, Descriptor: v1.Descriptor{Platform: &p}})
	}
	return mutate.AppendManifests(empty.Index, adds...)
}
