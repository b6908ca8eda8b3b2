package inventory

import (
	"testing"
)

func testTags(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		f := fleet()
		b1, b2 := f[0], f[1]
		b1.Image.Tags = []string{"12", "latest"}
		b2.Image.Tags = []string{"12", "latest"}
		for _, d := range f[:2] {
			if err := s.PutImage(t.Context(), d, ImageRef{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutImage(t.Context(), b2, ImageRef{}); err != nil { // again: no new history
			t.Fatal(err)
		}
		if err := s.RemoveTag(t.Context(), "reg.test/golden/base", "12"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveTag(t.Context(), "reg.test/golden/base", "never"); err != nil {
			t.Fatal(err)
		}
		tags, err := s.Tags(t.Context(), "reg.test/golden/base")
		if err != nil || len(tags) != 1 || tags["latest"] != b2.Image.Digest {
			t.Errorf("Tags = %v, %v; want latest → base2", tags, err)
		}
		for tag, want := range map[string][]string{
			"latest": {b1.Image.Digest, b2.Image.Digest},
			"12":     {b1.Image.Digest, b2.Image.Digest, ""},
			"never":  nil,
		} {
			h, err := s.TagHistory(t.Context(), "reg.test/golden/base", tag)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range h {
				got = append(got, e.Digest)
				if e.Seen == "" {
					t.Errorf("history of %s: event without time", tag)
				}
			}
			if len(got) != len(want) {
				t.Errorf("history of %s = %v, want %v", tag, got, want)
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("history of %s = %v, want %v", tag, got, want)
				}
			}
		}
	})
}
