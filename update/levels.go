package update

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/internal/ref"
	"github.com/ingot-dev/ingot/inventory"
	"github.com/ingot-dev/ingot/rebase"
)

// byDepth returns the indexes of targets grouped by depth, shallowest
// first (depth 0 counts as 1), each group in the targets' order.
func byDepth(targets []Target) [][]int {
	var depths []int
	group := map[int][]int{}
	for i, t := range targets {
		d := max(t.Depth, 1)
		if _, ok := group[d]; !ok {
			depths = append(depths, d)
		}
		group[d] = append(group[d], i)
	}
	slices.Sort(depths)
	out := make([][]int, 0, len(depths))
	for _, d := range depths {
		out = append(out, group[d])
	}
	return out
}

// ledger decides where each target goes, from what Fleet did with the
// shallower ones. Fleet fills results depth by depth; a target is asked
// about only once every shallower result is in.
type ledger struct {
	targets []Target
	results []Result // results[i] is targets[i]'s, once done
	store   *inventory.Store
	newBase name.Reference
	dryRun  bool
}

// request returns the rebase of target i, or, when it is not to be
// rebased (now), its Result and false.
//
// A depth-1 target goes onto newBase, its old base named by its lineage.
// A deeper target (an image built on an image) goes from the build of its
// base it is on (Target.Base at Target.Via) onto the build that base was
// moved to, both pinned by digest (see onto).
func (l *ledger) request(ctx context.Context, i int) (rebase.Request, Result, bool) {
	t := l.targets[i]
	r := Result{Image: t.Image, OldDigest: t.OldDigest, Depth: max(t.Depth, 1), Base: t.Base}
	if t.Skip != "" {
		r.Status, r.Reason = Skipped, t.Skip
		return rebase.Request{}, r, false
	}
	ref, err := name.ParseReference(t.Image)
	if err != nil {
		r.Status, r.Error = Failed, fmt.Sprintf("parsing the image reference: %v", err)
		return rebase.Request{}, r, false
	}
	req := rebase.Request{Image: ref, NewBase: l.newBase, DryRun: l.dryRun}
	if r.Depth == 1 {
		return req, r, true
	}
	newDigest, status, why := l.onto(ctx, i)
	if status != "" {
		r.Status = status
		if status == Failed {
			r.Error = why
		} else {
			r.Reason = why
		}
		return rebase.Request{}, r, false
	}
	if req.OldBase, err = name.NewDigest(t.Base + "@" + t.Via); err == nil {
		req.NewBase, err = name.NewDigest(t.Base + "@" + newDigest)
	}
	if err != nil {
		r.Status, r.Error = Failed, fmt.Sprintf("naming its base %s: %v", t.Base, err)
		return rebase.Request{}, r, false
	}
	r.BaseDigest = newDigest
	return req, r, true
}

// onto returns the digest of the build target i's base (t.Base, on which
// the image is built at t.Via) was moved to, or the status the image
// gets instead and why. In order:
//
//  1. This run's result for the build t.Via (a target of t.Base's
//     repository whose old digest, or one of whose platforms' old
//     digests, is t.Via; t.Base's own tag first):
//     rebased or unchanged, the image goes onto its new digest; planned (a
//     dry run), it is planned "after its base"; failed, it fails naming the
//     base, and is not touched, so that it never lands on a half state.
//  2. Else (t.Via is an earlier build no tag names any more, because a
//     run that was interrupted moved the base but not this image), the
//     base's tag: if the inventory's tag history (written by rebase) shows
//     that it named t.Via and it now names a build on the new base (this
//     run rebased it, found it unchanged, or skipped it as on the new
//     base), the image follows the tag there, as a rebuild FROM that tag
//     would. rebase still checks that the image's layers are t.Via's and
//     that the new build is the same image (its title).
//  3. Else the image is skipped, with the reason.
func (l *ledger) onto(ctx context.Context, i int) (digest, status, why string) {
	t := l.targets[i]
	depth := max(t.Depth, 1)
	repo := ref.Repository(t.Base)
	skipped := ""
	if j := l.best(depth, func(u Target, r Result) bool {
		return ref.Repository(u.Image) == repo && (u.OldDigest == t.Via || movedPlatform(r, t.Via) != "")
	}, t.Base); j >= 0 {
		r := l.results[j]
		switch r.Status {
		case Rebased, Unchanged:
			if l.targets[j].OldDigest != t.Via {
				return movedPlatform(r, t.Via), "", ""
			}
			return r.NewDigest, "", ""
		case Planned:
			return "", Planned, "after its base " + t.Base
		case Failed:
			return "", Failed, fmt.Sprintf("its base %s was not rebased; rerun", t.Base)
		default:
			skipped = r.Reason
		}
	}
	if ref.HasTag(t.Base) && l.store != nil {
		if j := l.best(depth, func(u Target, _ Result) bool { return u.Image == t.Base }, t.Base); j >= 0 {
			r, u := l.results[j], l.targets[j]
			cur := ""
			switch {
			case r.Status == Rebased || r.Status == Unchanged:
				cur = r.NewDigest
			case r.Status == Skipped && u.Skip == SkipOnNewBase:
				cur = u.OldDigest
			case r.Status == Planned:
				return "", Planned, "after its base " + t.Base
			case r.Status == Failed:
				return "", Failed, fmt.Sprintf("its base %s was not rebased; rerun", t.Base)
			}
			if cur != "" {
				named, err := l.tagNamed(ctx, t.Base, t.Via)
				if err != nil {
					return "", Failed, err.Error()
				}
				if named {
					return cur, "", ""
				}
			}
		}
	}
	if skipped != "" {
		return "", Skipped, fmt.Sprintf("its base %s@%s is skipped: %s", repo, inventory.ShortID(t.Via), skipped)
	}
	return "", Skipped, fmt.Sprintf("its base %s@%s is not moved by this update and %s does not name a build on the new base; rebase it with ingot rebase --onto",
		repo, inventory.ShortID(t.Via), t.Base)
}

// best returns the index of the shallower target matching match that
// fared best (rebased or unchanged, then planned, failed, skipped), the
// one named prefer first among equals; -1 if none.
func (l *ledger) best(depth int, match func(Target, Result) bool, prefer string) int {
	rank := func(s string) int {
		switch s {
		case Rebased, Unchanged:
			return 0
		case Planned:
			return 1
		case Failed:
			return 2
		}
		return 3
	}
	best := -1
	for j, u := range l.targets {
		if max(u.Depth, 1) >= depth || l.results[j].Status == "" || !match(u, l.results[j]) {
			continue
		}
		if best < 0 {
			best = j
			continue
		}
		a, b := l.results[j], l.results[best]
		if c := cmp.Compare(rank(a.Status), rank(b.Status)); c < 0 || c == 0 && u.Image == prefer {
			best = j
		}
	}
	return best
}

// movedPlatform returns the new digest of the platform image of r whose
// old digest is digest (an image built on one platform of an index), ""
// if r did not move it.
func movedPlatform(r Result, digest string) string {
	for _, ch := range r.Changes {
		if ch != nil && ch.OldDigest == digest && ch.NewDigest != "" {
			return ch.NewDigest
		}
	}
	return ""
}

// tagNamed reports whether the inventory's history of tag ("repo:tag")
// shows it pointing at digest at some time.
func (l *ledger) tagNamed(ctx context.Context, tag, digest string) (bool, error) {
	i := strings.LastIndex(tag, ":")
	events, err := l.store.TagHistory(ctx, tag[:i], tag[i+1:])
	if err != nil {
		return false, fmt.Errorf("reading where its base %s pointed: %w (rerun when the inventory is reachable)", tag, err)
	}
	return slices.ContainsFunc(events, func(e inventory.TagEvent) bool { return e.Digest == digest }), nil
}
