package inventory

import (
	"slices"
	"testing"
)

func testList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"all", Filter{}, []string{"docker.test/library/foo", "reg.test/golden/base", "reg.test/golden/base", "reg.test/golden/node", "reg.test/team/app1", "reg.test/team/app2"}},
			{"repository", Filter{Repository: "reg.test/golden/base"}, []string{"reg.test/golden/base", "reg.test/golden/base"}},
			{"repository prefix", Filter{Repository: "reg.test/team/"}, []string{"reg.test/team/app1", "reg.test/team/app2"}},
			{"owner team", Filter{Owner: "team-a"}, []string{"reg.test/team/app1"}},
			{"owner exact", Filter{Owner: "team-a <a@example.com>"}, []string{"reg.test/team/app1"}},
			{"base", Filter{Base: "reg.test/golden/base"}, []string{"reg.test/golden/node", "reg.test/team/app2", "reg.test/team/app1"}},
			{"base and owner", Filter{Base: "reg.test/golden/base", Owner: "team-b"}, []string{"reg.test/team/app2"}},
			{"nothing", Filter{Owner: "nobody"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				images, err := s.List(t.Context(), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, im := range images {
					got = append(got, im.Repository)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("List(%+v) = %v, want %v", tc.f, got, tc.want)
				}
			})
		}
	})
}
