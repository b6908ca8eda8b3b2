package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestAttachRoundTrip pushes an image to Debian's docker-registry (2.8, no
// referrers API: the tag schema fallback is what runs), attaches SPDX and
// CycloneDX documents, lists the referrers and reads them back.
func TestAttachRoundTrip(t *testing.T) {
	host := testenv.StartRegistry(t)
	repo, err := name.NewRepository(host+"/golden/app", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img := imageOf(t, layerOf(t, tarOf(t,
		file{name: "var/lib/dpkg/status", body: statusA1 + statusB},
		file{name: "etc/os-release", body: osRel},
	)))
	tag := repo.Tag("1")
	if err := remote.Write(tag, img, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	dig, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	ref := repo.Digest(dig.String())

	doc, err := FromImage(t.Context(), img, WithName(repo.String(), "1"))
	if err != nil {
		t.Fatal(err)
	}
	var spdx, cdx bytes.Buffer
	if err := WriteSPDX(&spdx, doc); err != nil {
		t.Fatal(err)
	}
	if err := WriteCycloneDX(&cdx, doc); err != nil {
		t.Fatal(err)
	}
	docs := []Attachment{
		{ArtifactType: ArtifactSPDX, Data: spdx.Bytes(), Filename: "sbom.spdx.json"},
		{ArtifactType: ArtifactCycloneDX, Data: cdx.Bytes(), Filename: "sbom.cdx.json"},
	}
	for range 2 { // attaching again changes nothing
		if err := Attach(t.Context(), ref, docs); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("referrers", func(t *testing.T) {
		idx, err := remote.Referrers(ref, remote.WithContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			t.Fatal(err)
		}
		var types_ []string
		for _, d := range im.Manifests {
			types_ = append(types_, d.ArtifactType)
		}
		slices.Sort(types_)
		if fmt.Sprint(types_) != fmt.Sprint([]string{ArtifactSPDX, ArtifactCycloneDX}) {
			t.Errorf("referrers %q, want one SPDX and one CycloneDX", types_)
		}
		// The registry has no referrers API: the fallback tag holds them.
		resp, err := http.Get(fmt.Sprintf("http://%s/v2/golden/app/referrers/%s", host, dig))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == string(types.OCIImageIndex) {
			t.Log("this registry has the referrers API; the tag fallback was not exercised")
		} else if _, err := remote.Head(repo.Tag("sha256-"+dig.Hex), remote.WithContext(t.Context())); err != nil {
			t.Errorf("no referrers tag sha256-%s: %v", dig.Hex, err)
		}
	})

	t.Run("manifest", func(t *testing.T) {
		idx, err := remote.Referrers(ref, remote.WithContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		im, _ := idx.IndexManifest()
		i := slices.IndexFunc(im.Manifests, func(d v1.Descriptor) bool { return d.ArtifactType == ArtifactSPDX })
		if i < 0 {
			t.Fatal("no SPDX referrer")
		}
		d, err := remote.Get(repo.Digest(im.Manifests[i].Digest.String()), remote.WithContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			MediaType    string `json:"mediaType"`
			ArtifactType string `json:"artifactType"`
			Config       struct {
				MediaType string `json:"mediaType"`
				Size      int64  `json:"size"`
			} `json:"config"`
			Layers  []struct{ MediaType string } `json:"layers"`
			Subject struct{ Digest string }      `json:"subject"`
		}
		if err := json.Unmarshal(d.Manifest, &m); err != nil {
			t.Fatal(err)
		}
		if m.MediaType != string(types.OCIManifestSchema1) || m.ArtifactType != ArtifactSPDX || m.Config.MediaType != string(types.OCIEmptyJSON) ||
			m.Config.Size != 2 || len(m.Layers) != 1 || m.Layers[0].MediaType != ArtifactSPDX || m.Subject.Digest != dig.String() {
			t.Errorf("artifact manifest %s", d.Manifest)
		}
	})

	for _, d := range docs {
		t.Run("read back "+d.ArtifactType, func(t *testing.T) {
			for _, r := range []name.Reference{ref, tag} {
				got, err := Attached(t.Context(), r, d.ArtifactType)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, d.Data) {
					t.Errorf("read back %d bytes from %s, attached %d; not byte-identical", len(got), r, len(d.Data))
				}
			}
		})
	}

	t.Run("newest wins", func(t *testing.T) {
		for i, day := range []int{3, 1, 2} {
			a := Attachment{ArtifactType: "application/vnd.example.test+json", Data: []byte(fmt.Sprintf(`{"n":%d}`, i)),
				Created: time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC)}
			if err := Attach(t.Context(), ref, []Attachment{a}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Attached(t.Context(), ref, "application/vnd.example.test+json")
		if err != nil || string(got) != `{"n":0}` {
			t.Errorf("got %s, %v; want the newest, {\"n\":0}", got, err)
		}
	})

	t.Run("none attached", func(t *testing.T) {
		_, err := Attached(t.Context(), ref, "application/vnd.example+json")
		if !errors.Is(err, ErrNotAttached) {
			t.Errorf("err %v, want ErrNotAttached", err)
		}
	})
}

// TestArtifactManifestStable: the same document gives the same manifest.
func TestArtifactManifestStable(t *testing.T) {
	a := Attachment{ArtifactType: ArtifactSPDX, Data: []byte(`{"spdxVersion":"SPDX-2.3"}`)}
	sub := descriptorOf(t, imageOf(t))
	m1, err := artifactManifest(sub, a)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := artifactManifest(sub, a)
	if !bytes.Equal(m1, m2) {
		t.Error("two manifests for one document")
	}
	a.Created = time.Unix(0, 0)
	if m3, _ := artifactManifest(sub, a); bytes.Equal(m1, m3) || !bytes.Contains(m3, []byte(`"org.opencontainers.image.created":"1970-01-01T00:00:00Z"`)) {
		t.Errorf("Created not recorded: %s", m3)
	}
}
