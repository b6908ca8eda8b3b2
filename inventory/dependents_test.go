package inventory

import (
	"fmt"
	"slices"
	"testing"
)

func testDependents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		for _, tc := range []struct {
			base string
			want []string
		}{
			{"reg.test/golden/base", []string{"1 reg.test/golden/node", "1 reg.test/team/app2", "2 reg.test/team/app1"}},
			{"reg.test/golden/base:12.1", []string{"1 reg.test/golden/node", "2 reg.test/team/app1"}},
			{digest("base2"), []string{"1 reg.test/team/app2"}},
			{"reg.test/golden/base@" + digest("base1"), []string{"1 reg.test/golden/node", "2 reg.test/team/app1"}},
			{"reg.test/golden/node", []string{"1 reg.test/team/app1"}},
			{"reg.test/team/app1", nil},
			{"reg.test/unknown/base", nil},
		} {
			t.Run(tc.base, func(t *testing.T) {
				deps, err := s.Dependents(t.Context(), tc.base)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, d := range deps {
					got = append(got, fmt.Sprintf("%d %s", d.Depth, d.Image.Repository))
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("Dependents(%s) = %v, want %v", tc.base, got, tc.want)
				}
			})
		}
		// A base that was never ingested is found by name through lineage.
		d := fleet()[4]
		d.Image.Name, d.Image.Digest, d.Image.BaseName, d.Image.BaseDigest = "reg.test/team/app3", digest("app3"), "quay.test/ext/base:1", digest("ext")
		if err := s.PutImage(t.Context(), d, ImageRef{}); err != nil {
			t.Fatal(err)
		}
		deps, err := s.Dependents(t.Context(), "quay.test/ext/base")
		if err != nil || len(deps) != 1 || deps[0].Image.Repository != "reg.test/team/app3" {
			t.Errorf("Dependents(quay.test/ext/base) = %+v, %v", deps, err)
		}
		if _, err := s.Dependents(t.Context(), "reg.test/golden/base:nope"); err == nil {
			t.Error("Dependents of an unknown tag succeeded")
		}
	})
}
