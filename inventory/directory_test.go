package inventory

import (
	"slices"
	"testing"
)

// testDirectory: who-has answers from a cached image directory on SQLite;
// writes by this store or by another one (another process) are seen.
func testDirectory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, loc string) {
		putFleet(t, s)
		other, err := Open(t.Context(), loc)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tagsOf := func() []string {
			t.Helper()
			hits, err := s.WhoHas(t.Context(), Query{Name: "lodash"})
			if err != nil || len(hits) != 1 {
				t.Fatalf("WhoHas(lodash) = %+v, %v", hits, err)
			}
			return hits[0].Image.Tags
		}
		if got := tagsOf(); !slices.Equal(got, []string{"latest"}) {
			t.Fatalf("tags = %v", got)
		}
		// Another store moves a tag onto app2.
		d := fleet()[4]
		d.Image.Tags = []string{"latest", "v2"}
		if err := other.PutImage(t.Context(), d, ImageRef{}); err != nil {
			t.Fatal(err)
		}
		if got := tagsOf(); !slices.Equal(got, []string{"latest", "v2"}) {
			t.Errorf("after another store tagged v2: tags = %v", got)
		}
		// This store removes one.
		if err := s.RemoveTag(t.Context(), "reg.test/team/app2", "latest"); err != nil {
			t.Fatal(err)
		}
		if got := tagsOf(); !slices.Equal(got, []string{"v2"}) {
			t.Errorf("after removing latest: tags = %v", got)
		}
		// The returned tags are copies: changing them changes nothing stored.
		hits, _ := s.WhoHas(t.Context(), Query{Name: "lodash"})
		hits[0].Image.Tags[0] = "changed"
		if got := tagsOf(); !slices.Equal(got, []string{"v2"}) {
			t.Errorf("a caller's change leaked into the cache: %v", got)
		}
	})
}
