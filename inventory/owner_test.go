package inventory

import (
	"errors"
	"testing"
)

func testOwner(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		ctx := t.Context()
		if err := s.SetOwner(ctx, "docker.test/library/foo:1.0", "edge", "edge@example.com", ""); err != nil {
			t.Fatal(err)
		}
		hits, err := s.WhoHas(ctx, Query{Name: "libssl1.1"})
		if err != nil || len(hits) != 1 || hits[0].Owner != "edge <edge@example.com>" || hits[0].Image.Owner != "edge <edge@example.com>" {
			t.Fatalf("after owner set, WhoHas(libssl1.1) = %+v, %v", hits, err)
		}
		// A layer owner set by hand beats the recorded one; for a base
		// layer, the base repository's hand-set owner applies.
		if err := s.SetOwner(ctx, "reg.test/team/app1", "team-a2", "", "app"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetOwner(ctx, "reg.test/golden/node", "node-team", "", ""); err != nil {
			t.Fatal(err)
		}
		ds, err := s.Show(ctx, "reg.test/team/app1")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range ds[0].Layers {
			got = append(got, l.Owner)
		}
		want := []string{"platform <platform@example.com>", "node-team", "team-a2"}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("layer owners = %q, want %q", got, want)
		}
		// Setting again replaces.
		if err := s.SetOwner(ctx, "docker.test/library/foo", "edge2", "", ""); err != nil {
			t.Fatal(err)
		}
		if n := counts(t, s)["owners"]; n != 3 {
			t.Errorf("%d owners, want 3", n)
		}
		for _, tc := range []struct{ name, ref, team, layer string }{
			{"unknown image", "reg.test/none", "x", ""},
			{"no team", "reg.test/team/app1", " ", ""},
			{"unknown layer", "reg.test/team/app1", "x", "nope"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.SetOwner(ctx, tc.ref, tc.team, "", tc.layer)
				if err == nil {
					t.Fatal("SetOwner succeeded")
				}
				if tc.name == "unknown image" && !errors.Is(err, ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			})
		}
	})
}
