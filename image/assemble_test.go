package image

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

func TestAssemble(t *testing.T) {
	img := testImage(t, "arm64")
	if err := validate.Image(img); err != nil {
		t.Fatalf("validate.Image: %v", err)
	}
	mt, _ := img.MediaType()
	if mt != types.OCIManifestSchema1 {
		t.Errorf("media type %s, want OCI manifest", mt)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.MediaType != types.OCIConfigJSON {
		t.Errorf("config media type %s", m.Config.MediaType)
	}
	want := map[string]string{
		AnnotationCreated:     "2023-11-14T22:13:20Z",
		AnnotationTitle:       "registry.example.com/golden/base",
		AnnotationDescription: "minimal base",
		AnnotationVendor:      "platform",
		AnnotationSource:      "https://git.example.com/golden",
		AnnotationSpecDigest:  testAnnotations().SpecDigest,
		AnnotationLockDigest:  testAnnotations().LockDigest,
		"com.example.tier":    "gold",
	}
	for k, v := range want {
		if got := m.Annotations[k]; got != v {
			t.Errorf("manifest annotation %s = %q, want %q", k, got, v)
		}
	}
	if _, ok := m.Annotations[AnnotationBaseName]; ok {
		t.Errorf("base.name annotation set on an image without base")
	}
	var recs []LayerRecord
	if err := json.Unmarshal([]byte(m.Annotations[AnnotationLayers]), &recs); err != nil {
		t.Fatalf("decoding %s: %v", AnnotationLayers, err)
	}
	if len(recs) != 2 || recs[0].Name != "os" || recs[1].Owner != "runtime" || recs[0].Packages[1] != "libc6=2.36-9+deb12u7" {
		t.Errorf("layer records = %+v", recs)
	}
	if !strings.Contains(m.Annotations[AnnotationLayers], "platform <platform@example.com>") {
		t.Errorf("owner is HTML-escaped in %s", m.Annotations[AnnotationLayers])
	}
	if got := m.Layers[0].Annotations; got[AnnotationLayerName] != "os" || got[AnnotationLayerOwner] != "platform <platform@example.com>" {
		t.Errorf("layer 0 descriptor annotations = %v", got)
	}
	if got := m.Layers[1].Annotations; got[AnnotationLayerName] != "runtime" || got[AnnotationLayerOwner] != "runtime" {
		t.Errorf("layer 1 descriptor annotations = %v", got)
	}
	for i, l := range m.Layers {
		if l.MediaType != types.OCILayer {
			t.Errorf("layer %d media type %s", i, l.MediaType)
		}
	}

	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != "linux" || cf.Architecture != "arm64" || cf.Variant != "v8" {
		t.Errorf("platform = %s/%s/%s", cf.OS, cf.Architecture, cf.Variant)
	}
	if !cf.Created.Time.Equal(epoch) {
		t.Errorf("created = %v, want %v", cf.Created, epoch)
	}
	if len(cf.History) != 2 {
		t.Fatalf("history has %d entries, want 2", len(cf.History))
	}
	if h := cf.History[0]; h.CreatedBy != "ingot: layer os (platform <platform@example.com>)" || !h.Created.Time.Equal(epoch) || h.EmptyLayer {
		t.Errorf("history[0] = %+v", h)
	}
	if h := cf.History[1]; h.CreatedBy != "ingot: layer runtime (runtime)" {
		t.Errorf("history[1] = %+v", h)
	}
	if len(cf.RootFS.DiffIDs) != 2 || cf.RootFS.Type != "layers" {
		t.Errorf("rootfs = %+v", cf.RootFS)
	}
	c := cf.Config
	if c.User != "65532:65532" || c.WorkingDir != "/home/nonroot" || strings.Join(c.Entrypoint, " ") != "/usr/bin/app" ||
		strings.Join(c.Cmd, " ") != "--help" || len(c.Env) != 2 || c.Env[1] != "TZ=UTC" || c.Labels["team"] != "platform" {
		t.Errorf("config = %+v", c)
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok || len(c.ExposedPorts) != 1 {
		t.Errorf("exposed ports = %v", c.ExposedPorts)
	}
	if c.Hostname != "" || c.Domainname != "" || cf.Author != "" || cf.Container != "" || cf.DockerVersion != "" {
		t.Errorf("host facts leaked into the config: %+v", cf)
	}
	if _, ok := c.Labels[LabelLineage]; !ok {
		t.Errorf("no %s label", LabelLineage)
	}
}

func TestAssembleReproducible(t *testing.T) {
	// Fresh layers, config and annotation maps each time: only the values matter.
	a, b := testImage(t, "amd64"), testImage(t, "amd64")
	da, err := a.Digest()
	if err != nil {
		t.Fatal(err)
	}
	db, _ := b.Digest()
	if da != db {
		t.Errorf("same inputs gave %s and %s", da, db)
	}
	// A different creation time must change the digest: created is really used.
	p, _ := PlatformFor("amd64")
	c, err := Assemble(p, testLayers(t, "amd64"), testConfig(), epoch.Add(time.Second), testAnnotations())
	if err != nil {
		t.Fatal(err)
	}
	if dc, _ := c.Digest(); dc == da {
		t.Errorf("a different SOURCE_DATE_EPOCH gave the same digest %s", dc)
	}
}

func TestAssembleDerived(t *testing.T) {
	p, _ := PlatformFor("amd64")
	layers := testLayers(t, "amd64")
	layers[0].Base = true
	ann := testAnnotations()
	ann.BaseName = "registry.example.com/golden/base:1"
	ann.BaseDigest = "sha256:" + strings.Repeat("c", 64)
	img, err := Assemble(p, layers, Config{}, epoch, ann)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := img.Manifest()
	if m.Annotations[AnnotationBaseName] != ann.BaseName || m.Annotations[AnnotationBaseDigest] != ann.BaseDigest {
		t.Errorf("base annotations = %v", m.Annotations)
	}
	lin, err := ReadLineage(img)
	if err != nil {
		t.Fatal(err)
	}
	if lin.BaseName != ann.BaseName || lin.BaseDigest != ann.BaseDigest || !lin.Layers[0].Base || lin.Layers[1].Base {
		t.Errorf("lineage = %+v", lin)
	}
}

func TestAssembleErrors(t *testing.T) {
	good := func() []LayerInfo { return testLayers(t, "amd64") }
	tests := []struct {
		desc   string
		p      v1.Platform
		layers []LayerInfo
		want   string
	}{
		{"no architecture", v1.Platform{OS: "linux"}, good(), "no architecture"},
		{"no layers", v1.Platform{Architecture: "amd64"}, nil, "no layers"},
		{"nil layer", v1.Platform{Architecture: "amd64"}, []LayerInfo{{Name: "os"}}, `layer 0 ("os") has no layer data`},
		{"unnamed layer", v1.Platform{Architecture: "amd64"}, []LayerInfo{{Layer: good()[0].Layer}}, "no name"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Assemble(tt.p, tt.layers, Config{}, epoch, Annotations{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestAssembleDockerLayers(t *testing.T) {
	l, err := random.Layer(512, types.DockerLayer)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Assemble(v1.Platform{Architecture: "amd64"}, []LayerInfo{{Layer: l, Name: "base", Base: true}}, Config{}, epoch, Annotations{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := img.Manifest()
	if m.Layers[0].MediaType != types.OCILayer {
		t.Errorf("layer media type %s, want %s", m.Layers[0].MediaType, types.OCILayer)
	}
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}
}
