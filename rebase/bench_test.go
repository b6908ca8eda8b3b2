package rebase

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/inventory"
)

// BenchmarkRemote rebases a two-platform app index in the real registry,
// back and forth between base:1 and base:2 so that every iteration writes.
// Run: go test -run XXX -bench Remote ./rebase
func BenchmarkRemote(b *testing.B) {
	f := startFleet(b)
	ctx := context.Background()
	store, err := inventory.Open(ctx, filepath.Join(b.TempDir(), "inventory.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ref, _ := name.ParseReference(f.webIndex)
	bases := []name.Reference{}
	for _, s := range []string{f.base2, f.base1} {
		r, _ := name.ParseReference(s)
		bases = append(bases, r)
	}
	for _, bc := range []struct {
		desc string
		opts []RemoteOption
	}{
		{"manifests only", []RemoteOption{WithSBOM(false)}},
		{"with inventory and SBOMs (inspected)", []RemoteOption{WithInventory(store)}},
		{"with inventory and SBOMs (from the inventory)", []RemoteOption{WithInventory(store), WithAppSBOM(InventorySBOM(store))}},
	} {
		b.Run(bc.desc, func(b *testing.B) {
			i := 0
			for b.Loop() {
				o, err := Remote(ctx, Request{Image: ref, NewBase: bases[i%2]}, bc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				if o.Unchanged {
					b.Fatal(fmt.Sprintf("iteration %d changed nothing", i))
				}
				i++
			}
		})
	}
}
