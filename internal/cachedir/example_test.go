package cachedir_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ingot-dev/ingot/internal/cachedir"
)

func Example() {
	dir, _ := os.MkdirTemp("", "ingot-cache-")
	defer os.RemoveAll(dir)
	// A download last used 60 days ago, another used today.
	old := time.Now().Add(-60 * 24 * time.Hour)
	for name, used := range map[string]time.Time{"aa/aa01": old, "bb/bb02": time.Now()} {
		p := filepath.Join(dir, "sha256", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, make([]byte, 1000), 0o644)
		os.Chtimes(p, used, used)
	}
	ctx := context.Background()
	r, err := cachedir.Measure(ctx, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("before:", r.Entries, "entries,", r.Bytes, "bytes")
	res, err := cachedir.Prune(ctx, dir, cachedir.WithUnusedFor(30*24*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pruned:", res.Areas[0].Area, res.Areas[0].Paths, res.Bytes, "bytes")
	// Output:
	// before: 2 entries, 2000 bytes
	// pruned: sha256 [sha256/aa/aa01] 1000 bytes
}
