package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/sbom"
)

// randomImage is a small pseudo-random image, the same for the same seed.
func randomImage(t testing.TB, seed int64) v1.Image {
	t.Helper()
	img, err := random.Image(256, 2, random.WithSource(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// pushImage pushes img to ref (a tag) and returns its digest.
func pushImage(t testing.TB, ref string, img v1.Image) string {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, remote.WithContext(t.Context())); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// pushIndex pushes a two-platform index of random images to ref.
func pushIndex(t testing.TB, ref string, seed int64) string {
	t.Helper()
	idx, err := random.Index(256, 1, 2, random.WithSource(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx, remote.WithContext(t.Context())); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
	d, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// pushWithSBOM pushes a random image to ref with a CycloneDX SBOM attached
// that names two packages: libssl3 in its first layer (the base's) and an
// npm package in its second (the app's).
func pushWithSBOM(t testing.TB, ref string, seed int64) (digest string, doc *sbom.Document) {
	t.Helper()
	img := randomImage(t, seed)
	digest = pushImage(t, ref, img)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := name.ParseReference(ref, name.Insecure)
	doc = &sbom.Document{Image: sbom.Image{Name: r.Context().Name(), Digest: digest, Platform: "linux/amd64", Owner: "team-a <a@example.com>",
		Tags: []string{"stale-tag"}, BaseName: "reg.test/golden/base", BaseDigest: "sha256:" + strings.Repeat("b", 64),
		Layers: []sbom.Layer{
			{DiffID: cf.RootFS.DiffIDs[0].String(), Name: "os", Owner: "platform <platform@example.com>", Base: true},
			{DiffID: cf.RootFS.DiffIDs[1].String(), Name: "app", Owner: "team-a <a@example.com>"},
		}},
		Packages: []sbom.Package{
			{Ecosystem: sbom.Deb, Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Source: "openssl", SourceVersion: "3.0.15-1~deb12u1",
				PURL: sbom.DebPURL("libssl3", "3.0.15-1~deb12u1", "amd64", "debian-12", "openssl"), Layer: 0},
			{Ecosystem: sbom.Npm, Name: "lodash", Version: "4.17.20", PURL: sbom.NpmPURL("lodash", "4.17.20"), Layer: 1},
		}}
	var b bytes.Buffer
	if err := sbom.WriteCycloneDX(&b, doc); err != nil {
		t.Fatal(err)
	}
	if err := sbom.Attach(t.Context(), r.Context().Digest(digest), []sbom.Attachment{{ArtifactType: sbom.ArtifactCycloneDX, Data: b.Bytes()}}); err != nil {
		t.Fatalf("attaching the SBOM of %s: %v", ref, err)
	}
	return digest, doc
}

// dump is everything the store holds about the repositories under prefix,
// without ids and times: two stores with equal dumps hold the same fleet.
func dump(t testing.TB, s *Store, prefix string) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	images, err := s.List(ctx, Filter{Repository: prefix + "/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range images {
		ds, err := s.Show(ctx, im.Ref())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			j, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s\n", j)
		}
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind("SELECT repository, tag, digest FROM tags WHERE repository LIKE ? ORDER BY repository, tag"), prefix+"/%")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r, tag, d string
		if err := rows.Scan(&r, &tag, &d); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "tag %s:%s %s\n", r, tag, d)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, s.d.rebind("SELECT repository, tag, digest FROM tag_history WHERE repository LIKE ? ORDER BY repository, tag, id"), prefix+"/%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r, tag, d string
		if err := rows.Scan(&r, &tag, &d); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "history %s:%s %s\n", r, tag, d)
	}
	return b.String()
}
