package update

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/rebase"
)

func TestByDepth(t *testing.T) {
	got := byDepth([]Target{{Depth: 2}, {}, {Depth: 3}, {Depth: 1}, {Depth: 2}})
	if want := [][]int{{1, 3}, {0, 4}, {2}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("byDepth = %v, want %v", got, want)
	}
}

// TestLedger: where an image on an image goes, from what became of its
// base (hermetic: the results are made up, the inventory is SQLite).
func TestLedger(t *testing.T) {
	ctx := context.Background()
	const web, worker = "registry.test/apps/web", "registry.test/apps/worker:1"
	store := openStore(t)
	// web:1 named build 10 (platform 1), then moved to build 11 (platform 3).
	putImage(t, store, web, 1, 10, "linux/amd64", "registry.test/golden/base:latest", 101, "1")
	putImage(t, store, web, 3, 11, "linux/amd64", "registry.test/golden/base:latest", 201, "1")
	on10 := Target{Image: worker, OldDigest: dg(20), Depth: 2, Base: web + ":1", Via: dg(10)}
	base := func(image, status string, old, new int, skip string) (Target, Result) {
		tg := Target{Image: image, OldDigest: dg(old), Depth: 1, Skip: skip}
		r := Result{Image: image, Status: status, OldDigest: dg(old), Depth: 1}
		if new != 0 {
			r.NewDigest = dg(new)
			r.Changes = []*rebase.Change{{OldDigest: dg(old - 9), NewDigest: dg(new - 8)}}
		}
		return tg, r
	}
	for _, tc := range []struct {
		desc    string
		bases   func() ([]Target, []Result)
		target  Target
		store   bool
		dryRun  bool
		status  string // "" rebase it
		onto    string // the new base's digest when rebased
		message string // in the reason or error
	}{
		{desc: "base rebased", target: on10, onto: dg(11), bases: func() ([]Target, []Result) {
			tg, r := base(web+":1", Rebased, 10, 11, "")
			return []Target{tg}, []Result{r}
		}},
		{desc: "base rebased, image on one of its platforms", onto: dg(3),
			target: Target{Image: worker, OldDigest: dg(20), Depth: 2, Base: web + ":1", Via: dg(1)},
			bases: func() ([]Target, []Result) {
				tg, r := base(web+":1", Rebased, 10, 11, "")
				return []Target{tg}, []Result{r}
			}},
		{desc: "base unchanged (moved by an earlier run)", target: on10, onto: dg(11), bases: func() ([]Target, []Result) {
			tg, r := base(web+":1", Unchanged, 10, 11, "")
			return []Target{tg}, []Result{r}
		}},
		{desc: "one tag failed, the other moved", target: on10, onto: dg(11), bases: func() ([]Target, []Result) {
			a, ra := base(web+":1", Failed, 10, 0, "")
			b, rb := base(web+":stable", Rebased, 10, 11, "")
			return []Target{a, b}, []Result{ra, rb}
		}},
		{desc: "base failed", target: on10, status: Failed, message: "its base " + web + ":1 was not rebased; rerun",
			bases: func() ([]Target, []Result) {
				tg, r := base(web+":1", Failed, 10, 0, "")
				return []Target{tg}, []Result{r}
			}},
		{desc: "base planned", target: on10, dryRun: true, status: Planned, message: "after its base " + web + ":1",
			bases: func() ([]Target, []Result) {
				tg, r := base(web+":1", Planned, 10, 0, "")
				return []Target{tg}, []Result{r}
			}},
		{desc: "base skipped", target: on10, status: Skipped, message: "is skipped: " + SkipNoTag,
			bases: func() ([]Target, []Result) {
				tg, r := base(web+"@"+dg(10), Skipped, 10, 0, SkipNoTag)
				r.Reason = SkipNoTag
				return []Target{tg}, []Result{r}
			}},
		{desc: "interrupted run: the base's tag moved on from the build", target: on10, store: true, onto: dg(11),
			bases: func() ([]Target, []Result) {
				a, ra := base(web+"@"+dg(10), Skipped, 10, 0, SkipNoTag)
				b, rb := base(web+":1", Skipped, 11, 0, SkipOnNewBase)
				return []Target{a, b}, []Result{ra, rb}
			}},
		{desc: "the base's tag never named the build", store: true, status: Skipped, message: "rebase it with ingot rebase --onto",
			target: Target{Image: worker, OldDigest: dg(20), Depth: 2, Base: web + ":1", Via: dg(12)},
			bases: func() ([]Target, []Result) {
				b, rb := base(web+":1", Skipped, 11, 0, SkipOnNewBase)
				return []Target{b}, []Result{rb}
			}},
		{desc: "the base's tag is on an old build", target: on10, store: true, status: Skipped, message: "does not name a build on the new base",
			bases: func() ([]Target, []Result) {
				b, rb := base(web+":1", Skipped, 11, 0, SkipMixedBase)
				return []Target{b}, []Result{rb}
			}},
		{desc: "no base in this run", target: on10, status: Skipped, message: "is not moved by this update",
			bases: func() ([]Target, []Result) { return nil, nil }},
		{desc: "marked skip", target: Target{Image: worker, Depth: 2, Base: web + ":1", Via: dg(10), Skip: SkipOnNewBase},
			status: Skipped, message: SkipOnNewBase, bases: func() ([]Target, []Result) { return nil, nil }},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			targets, results := tc.bases()
			targets = append(targets, tc.target)
			results = append(results, Result{})
			l := &ledger{targets: targets, results: results, newBase: mustRef(t, "registry.test/golden/base:latest"), dryRun: tc.dryRun}
			if tc.store {
				l.store = store
			}
			req, r, ok := l.request(ctx, len(targets)-1)
			if tc.status != "" {
				if ok || r.Status != tc.status || !strings.Contains(r.Reason+r.Error, tc.message) {
					t.Errorf("request = %v, %+v; want %s with %q", ok, r, tc.status, tc.message)
				}
				return
			}
			if !ok {
				t.Fatalf("request: %+v, want a rebase", r)
			}
			if req.OldBase.String() != web+":1@"+tc.target.Via || req.NewBase.String() != web+":1@"+tc.onto ||
				r.BaseDigest != tc.onto || r.Depth != 2 || r.Base != web+":1" {
				t.Errorf("request = %v -> %v (%+v), want %s -> %s", req.OldBase, req.NewBase, r, tc.target.Via, tc.onto)
			}
		})
	}
	// Depth 1 goes onto the fleet's new base, its old base from its lineage.
	l := &ledger{targets: []Target{{Image: web + ":1", OldDigest: dg(10)}}, results: make([]Result, 1), newBase: mustRef(t, "registry.test/golden/base:latest")}
	if req, r, ok := l.request(ctx, 0); !ok || req.OldBase != nil || req.NewBase.String() != "registry.test/golden/base:latest" || r.Depth != 1 {
		t.Errorf("depth 1: %v %+v %v", req, r, ok)
	}
}
