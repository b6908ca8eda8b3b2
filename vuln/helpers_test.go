package vuln_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ingot-dev/ingot/vuln/feed"
)

// goFeedDir is the Go vulnerability database's OSV records, kept next to the
// repository (it is public data, too big to commit).
var goFeedDir = filepath.Join("..", "..", "shared", "data", "osv", "go")

var goFeed struct {
	once sync.Once
	db   *feed.DB
	err  error
}

// goDB imports the Go OSV records into a fresh store once per test binary.
func goDB(t *testing.T) *feed.DB {
	t.Helper()
	if _, err := os.Stat(goFeedDir); err != nil {
		t.Skipf("the Go OSV records are not at %s: %v", goFeedDir, err)
	}
	goFeed.once.Do(func() {
		dir, err := os.MkdirTemp("", "ingot-vuln-test-")
		if err != nil {
			goFeed.err = err
			return
		}
		defer os.RemoveAll(dir)
		goFeed.db, goFeed.err = importAndLoad(context.Background(), filepath.Join(dir, "feeds.db"), goFeedDir)
	})
	if goFeed.err != nil {
		t.Fatal(goFeed.err)
	}
	return goFeed.db
}

func importAndLoad(ctx context.Context, path string, sources ...string) (*feed.DB, error) {
	s, err := feed.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	for _, src := range sources {
		if _, err := s.Import(ctx, src); err != nil {
			return nil, err
		}
	}
	return s.Load(ctx)
}
