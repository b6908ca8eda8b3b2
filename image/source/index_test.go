package source

import (
	"testing"
)

func TestIndex(t *testing.T) {
	idx, imgs := twoArchIndex(t)
	layoutDir := writeIndexLayout(t, idx)
	tarPath := writeTarball(t, imgs["arm64"])

	t.Run("layout gives its index", func(t *testing.T) {
		got, err := Index(t.Context(), layoutDir)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := digest(t, got), digest(t, idx); g != w {
			t.Errorf("index digest = %s, want %s", g, w)
		}
	})
	t.Run("tarball is wrapped with its platform", func(t *testing.T) {
		got, err := Index(t.Context(), tarPath)
		if err != nil {
			t.Fatal(err)
		}
		im, err := got.IndexManifest()
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Manifests) != 1 {
			t.Fatalf("%d manifests, want 1", len(im.Manifests))
		}
		d := im.Manifests[0]
		if d.Platform == nil || d.Platform.Architecture != "arm64" || d.Platform.OS != "linux" {
			t.Errorf("platform = %+v, want linux/arm64", d.Platform)
		}
		if d.Digest != digest(t, imgs["arm64"]) {
			t.Errorf("digest = %s, want the tarball image's", d.Digest)
		}
	})
}

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		desc, in string
		want     string
		wantErr  bool
	}{
		{desc: "empty is the default", in: "", want: "linux/" + DefaultPlatform().Architecture},
		{desc: "os/arch", in: "linux/arm64", want: "linux/arm64"},
		{desc: "variant", in: "linux/arm/v7", want: "linux/arm/v7"},
		{desc: "missing arch", in: "linux", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p, err := ParsePlatform(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && platformString(p) != tc.want {
				t.Errorf("got %s, want %s", platformString(p), tc.want)
			}
		})
	}
}
