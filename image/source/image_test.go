package source

import (
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func TestImageLocal(t *testing.T) {
	idx, imgs := twoArchIndex(t)
	solo := platformImage(t, "arm64")
	layoutDir := writeIndexLayout(t, idx)
	named := writeNamedLayout(t, idx, solo)
	tarPath := writeTarball(t, imgs["arm64"])
	arm64 := &v1.Platform{OS: "linux", Architecture: "arm64"}
	amd64 := &v1.Platform{OS: "linux", Architecture: "amd64"}

	tests := []struct {
		desc string
		ref  string
		p    *v1.Platform
		want v1.Image
	}{
		{desc: "layout dir, amd64", ref: layoutDir, p: amd64, want: imgs["amd64"]},
		{desc: "layout dir, arm64", ref: layoutDir, p: arm64, want: imgs["arm64"]},
		{desc: "oci: prefix", ref: "oci:" + layoutDir, p: arm64, want: imgs["arm64"]},
		{desc: "oci-layout: prefix", ref: "oci-layout:" + layoutDir, p: amd64, want: imgs["amd64"]},
		{desc: "default platform is the host", ref: layoutDir, want: imgs[DefaultPlatform().Architecture]},
		{desc: "layout by image digest", ref: layoutDir + "@" + digest(t, imgs["arm64"]).String(), want: imgs["arm64"]},
		{desc: "layout by index digest", ref: named + "@" + digest(t, idx).String(), p: arm64, want: imgs["arm64"]},
		{desc: "nested digest inside a named index", ref: named + "@" + digest(t, imgs["amd64"]).String(), want: imgs["amd64"]},
		{desc: "layout by ref.name tag", ref: named + ":1.0", p: amd64, want: imgs["amd64"]},
		{desc: "layout by the tag of a full ref.name", ref: "oci:" + named + ":solo", p: arm64, want: solo},
		{desc: "docker tarball", ref: tarPath, want: imgs["arm64"]},
		{desc: "docker-archive: prefix with platform", ref: "docker-archive:" + tarPath, p: arm64, want: imgs["arm64"]},
		{desc: "docker tarball with tag", ref: "docker-archive:" + tarPath + ":golden/base:1", want: imgs["arm64"]},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, err := Image(t.Context(), tc.ref, tc.p)
			if err != nil {
				t.Fatalf("Image(%q): %v", tc.ref, err)
			}
			if g, w := digest(t, got), digest(t, tc.want); g != w {
				t.Errorf("Image(%q) digest = %s, want %s", tc.ref, g, w)
			}
		})
	}
}

func TestImageErrors(t *testing.T) {
	idx, imgs := twoArchIndex(t)
	layoutDir := writeIndexLayout(t, idx)
	named := writeNamedLayout(t, idx, imgs["amd64"])
	tarPath := writeTarball(t, imgs["arm64"])
	s390x := &v1.Platform{OS: "linux", Architecture: "s390x"}

	tests := []struct {
		desc    string
		ref     string
		p       *v1.Platform
		wantErr []string
	}{
		{desc: "no such platform lists the available ones", ref: layoutDir, p: s390x,
			wantErr: []string{"linux/s390x", "available platforms: linux/amd64, linux/arm64", "--platform"}},
		{desc: "single image of another platform", ref: tarPath, p: s390x,
			wantErr: []string{"single linux/arm64 image", "not linux/s390x"}},
		{desc: "unknown ref.name lists names", ref: named + ":nope", wantErr: []string{`no manifest named "nope"`, "1.0"}},
		{desc: "unknown digest", ref: layoutDir + "@sha256:" + strings.Repeat("0", 64), wantErr: []string{"no manifest with digest"}},
		{desc: "missing local path", ref: "./no/such/layout", wantErr: []string{"no OCI layout directory", "./no/such/layout"}},
		{desc: "oci: prefix on a non-layout", ref: "oci:" + t.TempDir(), wantErr: []string{"no oci-layout file"}},
		{desc: "docker-archive: on a missing file", ref: "docker-archive:/no/such.tar", wantErr: []string{"opening docker tarball"}},
		{desc: "empty reference", ref: "", wantErr: []string{"empty image reference"}},
		{desc: "invalid registry reference", ref: "UPPER/Case:tag", wantErr: []string{"not a valid registry reference"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := Image(t.Context(), tc.ref, tc.p)
			if err == nil {
				t.Fatalf("Image(%q) succeeded, want an error", tc.ref)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestImageRegistry(t *testing.T) {
	host := testenv.StartRegistry(t)
	idx, imgs := twoArchIndex(t)
	single := platformImage(t, "amd64")
	idxRef, _ := name.ParseReference(host + "/golden/base:1")
	imgRef, _ := name.ParseReference(host + "/golden/single:1")
	if err := remote.WriteIndex(idxRef, idx, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(imgRef, single, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc string
		ref  string
		p    *v1.Platform
		opts []Option
		want v1.Image
	}{
		{desc: "index by tag, arm64", ref: idxRef.String(), p: &v1.Platform{OS: "linux", Architecture: "arm64"}, want: imgs["arm64"]},
		{desc: "index by digest, amd64", ref: host + "/golden/base@" + digest(t, idx).String(), p: &v1.Platform{OS: "linux", Architecture: "amd64"}, want: imgs["amd64"]},
		{desc: "single image, insecure option", ref: imgRef.String(), opts: []Option{WithInsecure(true)}, want: single},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, err := Image(t.Context(), tc.ref, tc.p, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := digest(t, got), digest(t, tc.want); g != w {
				t.Errorf("digest = %s, want %s", g, w)
			}
		})
	}
	t.Run("missing tag", func(t *testing.T) {
		_, err := Image(t.Context(), host+"/golden/base:nope", nil)
		if err == nil || !strings.Contains(err.Error(), "fetching") {
			t.Fatalf("err = %v, want a fetch error", err)
		}
	})
}
