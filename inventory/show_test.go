package inventory

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func testShow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store, _ string) {
		putFleet(t, s)
		ds, err := s.Show(t.Context(), "reg.test/team/app1:v1")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 {
			t.Fatalf("Show returned %d images, want 1", len(ds))
		}
		d := ds[0]
		var layers []string
		for _, l := range d.Layers {
			var pk []string
			for _, p := range l.Packages {
				pk = append(pk, p.Name+"@"+p.Version)
			}
			layers = append(layers, fmt.Sprintf("%d %s %s %q %v", l.Position, l.Name, l.Origin, l.Owner, pk))
		}
		want := []string{
			`0 os base "platform <platform@example.com>" [libc6@2.36-9+deb12u4 libssl3@3.0.11-1~deb12u2 openssl@3.0.11-1~deb12u2]`,
			`1 runtime base "runtimes" [npm@10.8.2]`,
			`2 app app "team-a <a@example.com>" [golang.org/x/net@v0.20.0 golang.org/x/text@v0.14.0]`,
		}
		if !slices.Equal(layers, want) {
			t.Errorf("layers:\n%q\nwant\n%q", layers, want)
		}
		var lineage []string
		for _, im := range d.Lineage {
			lineage = append(lineage, im.Repository+"@"+im.Digest)
		}
		if want := []string{"reg.test/golden/node@" + digest("node1"), "reg.test/golden/base@" + digest("base1")}; !slices.Equal(lineage, want) {
			t.Errorf("lineage = %v, want %v", lineage, want)
		}
		if !slices.Equal(d.Image.Tags, []string{"v1"}) || d.Image.Created != "" || d.Image.Owner != "team-a <a@example.com>" {
			t.Errorf("image = %+v", d.Image)
		}
		// WithoutLineage: the same image and layers, no lineage.
		short, err := s.Show(t.Context(), "reg.test/team/app1:v1", WithoutLineage())
		if err != nil {
			t.Fatal(err)
		}
		if len(short) != 1 || len(short[0].Lineage) != 0 || len(short[0].Layers) != len(d.Layers) || short[0].Image.Digest != d.Image.Digest {
			t.Errorf("Show WithoutLineage = %+v, want %s's layers and no lineage", short, d.Image.Digest)
		}

		for ref, n := range map[string]int{
			digest("base1"):                           1,
			"reg.test/golden/base":                    2,
			"reg.test/golden/base@" + digest("base2"): 1,
			"reg.test/golden/base:12.2":               1,
			"docker.test/library/foo:1.0":             1,
		} {
			ds, err := s.Show(t.Context(), ref)
			if err != nil || len(ds) != n {
				t.Errorf("Show(%s) = %d images, %v; want %d", ref, len(ds), err, n)
			}
		}
		foo, err := s.Show(t.Context(), "docker.test/library/foo")
		if err != nil {
			t.Fatal(err)
		}
		if l := foo[0].Layers; len(l) != 2 || l[1].Position != -1 || len(l[1].Packages) != 1 || l[1].Packages[0].Name != "requests" {
			t.Errorf("foo's layers = %+v, want the unknown layer last with requests", l)
		}
		for _, ref := range []string{"reg.test/none", "reg.test/golden/base:nope", digest("none"), "reg.test/golden/base@" + digest("none")} {
			if _, err := s.Show(t.Context(), ref); !errors.Is(err, ErrNotFound) {
				t.Errorf("Show(%s) = %v, want ErrNotFound", ref, err)
			}
		}
	})
}
