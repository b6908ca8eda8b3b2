package resolve

import (
	"fmt"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

// TestDeepChain resolves a 50,000-package dependency chain: the walk uses
// an explicit stack, so depth costs memory, not goroutine stack.
func TestDeepChain(t *testing.T) {
	const n = 50_000
	ix := debian.NewIndex("amd64")
	v := debian.MustParseVersion("1")
	for i := range n {
		p := &debian.Package{Name: fmt.Sprintf("p%d", i), Version: v, Architecture: "amd64"}
		if i+1 < n {
			p.Depends = []debian.Relation{{{Name: fmt.Sprintf("p%d", i+1)}}}
		}
		ix.Add(p)
	}
	r, err := Resolve(ix, Request{Packages: []string{"p0"}})
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if len(r.Packages) != n {
		t.Fatalf("%d packages, want %d", len(r.Packages), n)
	}
	steps, err := r.Why(fmt.Sprintf("p%d", n-1))
	if err != nil || len(steps) != n {
		t.Fatalf("Why: %d steps, %v", len(steps), err)
	}
}
