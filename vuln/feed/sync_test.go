package feed_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

// TestSync downloads an OSV all.zip per ecosystem and the tracker JSON from
// a real HTTP server laid out as the public feeds are.
func TestSync(t *testing.T) {
	zipPath := filepath.Join(t.TempDir(), "all.zip")
	writeZip(t, zipPath, map[string]string{"GO-9999-0001.json": goodRecord})
	tracker, err := os.ReadFile(trackerFixture)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Path)
		switch r.URL.Path {
		case "/osv/Go/all.zip":
			http.ServeFile(w, r, zipPath)
		case "/tracker/data/json":
			w.Write(tracker)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	s := openStore(t)
	res, err := s.Sync(ctx, feed.Remote{OSV: srv.URL + "/osv/", Ecosystems: []string{"Go"}, DebianTracker: srv.URL + "/tracker/data/json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Stats.Imported != 1 || res[1].Stats.Imported != 9 || !res[1].Stats.Tracker {
		t.Fatalf("synced %+v", res)
	}
	if strings.Join(got, " ") != "/osv/Go/all.zip /tracker/data/json" {
		t.Errorf("requested %v", got)
	}
	srcs, _ := s.Sources(ctx)
	if len(srcs) != 2 || srcs[0].Origin != srv.URL+"/osv/Go/all.zip" || srcs[1].Kind != vuln.SourceDebianTracker {
		t.Errorf("sources = %+v", srcs)
	}

	_, err = s.Sync(ctx, feed.Remote{OSV: srv.URL + "/osv", Ecosystems: []string{"npm"}})
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), feed.EnvOSVURL) {
		t.Errorf("missing archive: err = %v", err)
	}
}

func TestSyncUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = openStore(t).Sync(context.Background(), feed.Remote{DebianTracker: "http://" + addr + "/tracker/data/json"})
	if err == nil || !strings.Contains(err.Error(), feed.EnvDebianTrackerURL) || !strings.Contains(err.Error(), "ingot feed import") {
		t.Errorf("err = %v, want advice naming %s and ingot feed import", err, feed.EnvDebianTrackerURL)
	}
	if _, err := openStore(t).Sync(context.Background(), feed.Remote{}); !errors.Is(err, feed.ErrNoRemote) {
		t.Errorf("no remote: err = %v", err)
	}
}
