package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/internal/testenv"
)

func TestWrite(t *testing.T) {
	idx, err := random.Index(64, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("nothing asked writes nothing, even with an unparsable name", func(t *testing.T) {
		w, err := Write(t.Context(), idx, "Not A Name", Targets{})
		if err != nil || w != (Written{}) {
			t.Fatalf("Write = %+v, %v; want nothing written", w, err)
		}
	})
	t.Run("layout and tarball", func(t *testing.T) {
		dir := t.TempDir()
		tgt := Targets{Layout: filepath.Join(dir, "new", "layout"), Tarball: filepath.Join(dir, "img.tar")}
		w, err := Write(t.Context(), idx, "registry.example.com/golden/out:1", tgt)
		if err != nil {
			t.Fatal(err)
		}
		if w.Layout != tgt.Layout || w.Tarball != tgt.Tarball || w.Pushed != "" {
			t.Errorf("Written = %+v, want the layout and tarball only", w)
		}
		got, err := layout.ImageIndexFromPath(tgt.Layout)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := got.Digest(); d != want {
			t.Errorf("layout index %s, want %s", d, want)
		}
		if fi, err := os.Stat(tgt.Tarball); err != nil || fi.Size() == 0 {
			t.Errorf("tarball: %v", err)
		}
	})
	t.Run("an unparsable name fails before writing anything", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Write(t.Context(), idx, "Not A Name", Targets{Layout: filepath.Join(dir, "layout"), Tarball: filepath.Join(dir, "img.tar")})
		if err == nil || !strings.Contains(err.Error(), `"Not A Name"`) || !strings.Contains(err.Error(), "--tag") {
			t.Fatalf("err = %v, want the bad reference named with the --tag hint", err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("wrote %d entries before failing", len(ents))
		}
	})
	t.Run("push to a real registry", func(t *testing.T) {
		host := testenv.StartRegistry(t)
		w, err := Write(t.Context(), idx, host+"/golden/out:1", Targets{Push: true, Insecure: true})
		if err != nil {
			t.Fatal(err)
		}
		if wantRef := host + "/golden/out@" + want.String(); w.Pushed != wantRef {
			t.Errorf("Pushed = %q, want %q", w.Pushed, wantRef)
		}
		ref, err := name.ParseReference(host+"/golden/out:1", name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		desc, err := remote.Head(ref, remote.WithContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		if desc.Digest != want {
			t.Errorf("registry has %s under the tag, want %s", desc.Digest, want)
		}
	})
}
