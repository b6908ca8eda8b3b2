package inventory

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ingot-dev/ingot/inventory/internal/fleetgen"
)

// TestFleetAgreesWithShow: Fleet gives every image's Show, without lineage.
func TestFleetAgreesWithShow(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := fleetgen.New(fleetgen.Config{Images: 30, Bases: 4, Families: 2, BasePackages: 20, AppPackages: 5, Seed: 5})
	for _, b := range f.Bases() {
		if err := s.PutImage(ctx, b, ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		if err := s.PutImage(ctx, f.Image(i), ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetOwner(ctx, f.Bases()[0].Image.Name, "base-team", "base@example.com", ""); err != nil {
		t.Fatal(err)
	}
	for _, filter := range []Filter{{}, {Repository: f.Image(3).Image.Name}} {
		want, err := s.List(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = s.Fleet(ctx, filter, func(d Detail) error {
			shown, err := s.Show(ctx, d.Image.Ref())
			if err != nil {
				return err
			}
			shown[0].Lineage = nil
			if !reflect.DeepEqual(d, shown[0]) {
				t.Errorf("Fleet's %s differs from Show's:\n%+v\n%+v", d.Image.Ref(), d, shown[0])
			}
			if d.Image.Ref() != want[n].Ref() {
				t.Errorf("image %d is %s, want %s (List's order)", n, d.Image.Ref(), want[n].Ref())
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(want) {
			t.Errorf("Fleet gave %d images, List %d", n, len(want))
		}
	}
}
