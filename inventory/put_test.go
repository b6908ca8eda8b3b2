package inventory

import (
	"maps"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
)

func testPut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		first := counts(t, s)
		want := map[string]int{"images": 6, "layers": 7, "image_layers": 11, "layer_packages": 14, "tags": 6, "tag_history": 6, "owners": 0}
		// layers: os1 os2 node app1 app2 foo + foo's unknown-layer pseudo-layer;
		// packages: os1 3, os2 2, node 1, app1 2, app2 2, foo 1 + 1 unknown,
		// and app1's copy of libssl3 in the shared os1 is not written again.
		want["layer_packages"] = 3 + 2 + 1 + 2 + 2 + 1 + 1
		want["packages"] = 12 // distinct: the same libssl3 in two layers is one package
		if !maps.Equal(first, want) {
			t.Errorf("after one ingest: %v\nwant %v", first, want)
		}
		// Idempotent: the same documents again change nothing.
		putFleet(t, s)
		if again := counts(t, s); !maps.Equal(again, first) {
			t.Errorf("second ingest changed the store: %v, was %v", again, first)
		}

		for _, tc := range []struct {
			name string
			doc  *sbom.Document
			ref  ImageRef
		}{
			{"no digest", &sbom.Document{Image: sbom.Image{Name: "r"}}, ImageRef{}},
			{"no repository", &sbom.Document{Image: sbom.Image{Digest: digest("x")}}, ImageRef{}},
			{"package in a missing layer", &sbom.Document{Image: sbom.Image{Name: "r", Digest: digest("x")}, Packages: []sbom.Package{{Name: "p", Layer: 3}}}, ImageRef{}},
			{"layer without ids", &sbom.Document{Image: sbom.Image{Name: "r", Digest: digest("x"), Layers: []sbom.Layer{{Name: "os"}}}}, ImageRef{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.PutImage(t.Context(), tc.doc, tc.ref); err == nil {
					t.Error("PutImage succeeded")
				}
				if got := counts(t, s); !maps.Equal(got, first) {
					t.Errorf("a failed PutImage changed the store: %v", got)
				}
			})
		}

		// A repository from the ref, an index digest that tags point at.
		d := fleet()[5]
		d.Image.Name, d.Image.Tags = "", nil
		if err := s.PutImage(t.Context(), d, ImageRef{Repository: "mirror.test/foo", Tags: []string{"1.0"}, IndexDigest: digest("fooindex")}); err != nil {
			t.Fatal(err)
		}
		tags, err := s.Tags(t.Context(), "mirror.test/foo")
		if err != nil || tags["1.0"] != digest("fooindex") {
			t.Errorf("Tags(mirror.test/foo) = %v, %v; want 1.0 → the index", tags, err)
		}
		images, err := s.Resolve(t.Context(), "mirror.test/foo:1.0")
		if err != nil || len(images) != 1 || images[0].Digest != digest("foo") || images[0].IndexDigest != digest("fooindex") {
			t.Errorf("Resolve(mirror.test/foo:1.0) = %+v, %v", images, err)
		}
		// A tag and a digest: the digest decides, the tag is only a label.
		for _, r := range []string{"mirror.test/foo:1.0@" + digest("foo"), "mirror.test/foo:old@" + digest("fooindex")} {
			images, err := s.Resolve(t.Context(), r)
			if err != nil || len(images) != 1 || images[0].Digest != digest("foo") {
				t.Errorf("Resolve(%s) = %+v, %v", r, images, err)
			}
		}
	})
}

func testPutImages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		var puts []Put
		for _, d := range fleet() {
			puts = append(puts, Put{Doc: d})
		}
		// A bad image anywhere: nothing is written.
		bad := append(append([]Put(nil), puts...), Put{Doc: &sbom.Document{Image: sbom.Image{Name: "r", Digest: digest("x"), Layers: []sbom.Layer{{Name: "no ids"}}}}})
		if err := s.PutImages(t.Context(), bad); err == nil {
			t.Fatal("PutImages with a bad image succeeded")
		}
		empty := counts(t, s)
		for table, n := range empty {
			if n != 0 {
				t.Errorf("a failed PutImages left %d rows in %s", n, table)
			}
		}
		if err := s.PutImages(t.Context(), puts); err != nil {
			t.Fatal(err)
		}
		got := counts(t, s)
		ref, err := Open(t.Context(), backends()[0].open(t))
		if err != nil {
			t.Fatal(err)
		}
		defer ref.Close()
		putFleet(t, ref)
		if want := counts(t, ref); !maps.Equal(got, want) {
			t.Errorf("PutImages: %v\nPutImage one by one: %v", got, want)
		}
		if err := s.PutImages(t.Context(), puts); err != nil {
			t.Fatal(err)
		}
		if again := counts(t, s); !maps.Equal(again, got) {
			t.Errorf("PutImages again changed the store: %v, was %v", again, got)
		}
	})
}
