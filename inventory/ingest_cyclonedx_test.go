package inventory

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
)

// TestDocumentFromCycloneDX reads back what sbom.WriteCycloneDX writes: the
// part of the Document the inventory keeps.
func TestDocumentFromCycloneDX(t *testing.T) {
	for _, d := range fleet() {
		t.Run(d.Image.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := sbom.WriteCycloneDX(&b, d); err != nil {
				t.Fatal(err)
			}
			got, err := DocumentFromCycloneDX(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			want := kept(d)
			got.Sort()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// kept is d as the inventory keeps it from a CycloneDX SBOM: compressed
// layer digests are not in it, nor the owner or base flag of a layer
// without packages.
func kept(d *sbom.Document) *sbom.Document {
	c := *d
	c.Image.Layers = nil
	used := map[int]bool{}
	for _, p := range d.Packages {
		used[p.Layer] = true
	}
	for i, l := range d.Image.Layers {
		l.Digest = ""
		if !used[i] {
			l.Owner, l.Base = "", false
		}
		c.Image.Layers = append(c.Image.Layers, l)
	}
	c.Image.Created = c.Image.Created.UTC()
	c.Packages = nil
	for _, p := range d.Packages {
		if p.Ecosystem == sbom.Deb && p.Source == "" {
			p.Source, p.SourceVersion = "", ""
		} else if p.Ecosystem == sbom.Deb && p.SourceVersion == "" {
			p.SourceVersion = p.Version
		}
		c.Packages = append(c.Packages, p)
	}
	c.Sort()
	return &c
}

func TestDocumentFromCycloneDXRejects(t *testing.T) {
	var b bytes.Buffer
	if err := sbom.WriteCycloneDX(&b, fleet()[3]); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	for _, tc := range []struct{ name, in, want string }{
		{"not json", "{", "reading a CycloneDX SBOM"},
		{"no image", `{"bomFormat":"CycloneDX","specVersion":"1.6"}`, "describes no image"},
		{"unknown layer", strings.Replace(good, `"value": "`+digest("app1")+`"`, `"value": "`+digest("other")+`"`, 1), "does not list"},
		{"bad layer index", strings.Replace(good, "ingot:image:layer:0", "ingot:image:layer:-1", 1), "bad layer property"},
		{"missing layer", strings.Replace(good, "ingot:image:layer:1", "ingot:image:layer:9", 1), "is not described"},
		{"too big", strings.Repeat(" ", MaxSBOM+1), "over the"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DocumentFromCycloneDX([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func FuzzDocumentFromCycloneDX(f *testing.F) {
	for _, d := range fleet() {
		var b bytes.Buffer
		if err := sbom.WriteCycloneDX(&b, d); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"metadata":{"component":{"properties":[{"name":"ingot:image:layer:4095","value":"x"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := DocumentFromCycloneDX(data)
		if err != nil {
			return
		}
		for _, p := range doc.Packages {
			if p.Layer < -1 || p.Layer >= len(doc.Image.Layers) {
				t.Fatalf("package %s in layer %d of %d", p.Name, p.Layer, len(doc.Image.Layers))
			}
		}
		for i, l := range doc.Image.Layers {
			if l.DiffID == "" {
				t.Fatalf("layer %d without a diffID", i)
			}
		}
	})
}
