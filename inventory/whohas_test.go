package inventory

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// hitRow is the part of a Hit the tests compare, as one line.
func hitRow(h Hit) string {
	s := fmt.Sprintf("%s %s@%s %s/%s owner=%q %s", h.Image.Repository, h.Package, h.Version, h.Layer, ShortID(h.DiffID)[:4], h.Owner, h.Origin)
	if h.BySource {
		s += " by-source"
	}
	return s
}

func testWhoHas(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		os1, os2, node, app1, app2, foo := ShortID(digest("os1"))[:4], ShortID(digest("os2"))[:4], ShortID(digest("node"))[:4], ShortID(digest("app1"))[:4], ShortID(digest("app2"))[:4], ShortID(digest("foo"))[:4]
		plat := `"platform <platform@example.com>"`
		for _, tc := range []struct {
			name       string
			query      string
			constraint string
			purl       string
			want       []string
		}{
			{name: "name, base and app", query: "libssl3", want: []string{
				"reg.test/golden/base libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " app",
				"reg.test/golden/node libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
				"reg.test/team/app1 libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
				"reg.test/golden/base libssl3@3.0.15-1~deb12u1 os/" + os2 + " owner=" + plat + " app",
				"reg.test/team/app2 libssl3@3.0.15-1~deb12u1 os/" + os2 + " owner=" + plat + " base",
			}},
			{name: "dpkg constraint", query: "libssl3", constraint: "< 3.0.15", want: []string{
				"reg.test/golden/base libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " app",
				"reg.test/golden/node libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
				"reg.test/team/app1 libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
			}},
			{name: "dpkg tilde sorts before", query: "libssl3", constraint: ">= 3.0.15", want: []string{
				"reg.test/golden/base libssl3@3.0.15-1~deb12u1 os/" + os2 + " owner=" + plat + " app",
				"reg.test/team/app2 libssl3@3.0.15-1~deb12u1 os/" + os2 + " owner=" + plat + " base",
			}},
			{name: "source package", query: "openssl", constraint: "< 3.0.12", want: []string{
				"docker.test/library/foo libssl1.1@1.1.1w-0+deb11u1 /" + foo + ` owner="" app by-source`,
				"reg.test/golden/base libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " app by-source",
				"reg.test/golden/node libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base by-source",
				"reg.test/team/app1 libssl3@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base by-source",
				"reg.test/golden/base openssl@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " app",
				"reg.test/golden/node openssl@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
				"reg.test/team/app1 openssl@3.0.11-1~deb12u2 os/" + os1 + " owner=" + plat + " base",
			}},
			{name: "semver range", query: "golang.org/x/net", constraint: ">= v0.20.0, < v0.33.0", want: []string{
				"reg.test/team/app1 golang.org/x/net@v0.20.0 app/" + app1 + ` owner="team-a <a@example.com>" app`,
			}},
			{name: "semver bare version", query: "golang.org/x/net", constraint: "0.33", want: []string{
				"reg.test/team/app2 golang.org/x/net@v0.33.0 app/" + app2 + ` owner="team-b" app`,
			}},
			{name: "runtime layer", query: "npm", want: []string{
				"reg.test/golden/node npm@10.8.2 runtime/" + node + ` owner="runtimes" app`,
				"reg.test/team/app1 npm@10.8.2 runtime/" + node + ` owner="runtimes" base`,
			}},
			{name: "unknown layer", query: "requests", want: []string{
				"docker.test/library/foo requests@2.31.0 /unkn" + ` owner="" app`,
			}},
			{name: "purl without version", purl: "pkg:golang/golang.org/x/net", want: []string{
				"reg.test/team/app1 golang.org/x/net@v0.20.0 app/" + app1 + ` owner="team-a <a@example.com>" app`,
				"reg.test/team/app2 golang.org/x/net@v0.33.0 app/" + app2 + ` owner="team-b" app`,
			}},
			{name: "purl prefix", purl: "pkg:golang/golang.org/x", want: []string{
				"reg.test/team/app1 golang.org/x/net@v0.20.0 app/" + app1 + ` owner="team-a <a@example.com>" app`,
				"reg.test/team/app2 golang.org/x/net@v0.33.0 app/" + app2 + ` owner="team-b" app`,
				"reg.test/team/app1 golang.org/x/text@v0.14.0 app/" + app1 + ` owner="team-a <a@example.com>" app`,
			}},
			{name: "purl with version", purl: "pkg:golang/golang.org/x/net@v0.33.0", want: []string{
				"reg.test/team/app2 golang.org/x/net@v0.33.0 app/" + app2 + ` owner="team-b" app`,
			}},
			{name: "purl exact with qualifiers", purl: "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=arm64&distro=debian-12", want: nil},
			{name: "purl prefix is not a name prefix", purl: "pkg:golang/golang.org/x/ne", want: nil},
			{name: "unknown package", query: "nothing", want: nil},
		} {
			for _, factor := range []int64{8, 0} { // scans, lookups
				t.Run(fmt.Sprintf("%s/scan%d", tc.name, factor), func(t *testing.T) {
					defer func(f int64) { fullScanFactor = f }(fullScanFactor)
					fullScanFactor = factor
					c, err := ParseConstraint(tc.constraint)
					if err != nil {
						t.Fatal(err)
					}
					hits, err := s.WhoHas(t.Context(), Query{Name: tc.query, Constraint: c, PURL: tc.purl})
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, h := range hits {
						got = append(got, hitRow(h))
						if h.Image.Digest == "" || len(h.Image.Tags) == 0 {
							t.Errorf("hit without image digest or tags: %+v", h)
						}
						if tc.constraint != "" && h.Comparator != Comparator(h.Ecosystem) {
							t.Errorf("hit %s: comparator %q", h.Package, h.Comparator)
						}
					}
					if !slices.Equal(got, tc.want) {
						t.Errorf("WhoHas(%q %q %q):\n%s\nwant:\n%s", tc.query, tc.constraint, tc.purl, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
					}
				})
			}
		}
		t.Run("bad query", func(t *testing.T) {
			if _, err := s.WhoHas(t.Context(), Query{}); err == nil {
				t.Error("empty query succeeded")
			}
			if _, err := s.WhoHas(t.Context(), Query{Name: "a", PURL: "pkg:npm/a"}); err == nil {
				t.Error("name and purl succeeded")
			}
		})
	})
}
