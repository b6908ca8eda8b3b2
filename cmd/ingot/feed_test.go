package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

const feedFixtures = "../../vuln/testdata"

func TestFeedCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "feeds.db")
	t.Setenv(feed.EnvFeedsDB, db)
	t.Setenv(feed.EnvOSVURL, "")
	t.Setenv(feed.EnvDebianTrackerURL, "")

	out, err := runIngot(t, "feed", "import", "-o", "json", filepath.Join(feedFixtures, "tracker.json"), filepath.Join(feedFixtures, "osv-debian"))
	if err != nil {
		t.Fatal(err)
	}
	var res []feedImportResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import -o json: %v\n%s", err, out)
	}
	if len(res) != 2 || !res[0].Stats.Tracker || res[0].Stats.Imported != 9 || len(res[0].Stats.Skipped) != 3 || res[1].Stats.Imported != 4 {
		t.Fatalf("import results %+v", res)
	}

	out, err = runIngot(t, "feed", "import", filepath.Join(feedFixtures, "osv-debian"))
	if err != nil || !strings.Contains(out, "4 advisories imported from 4 files") {
		t.Errorf("text import: %v\n%s", err, out)
	}

	if _, err := runIngot(t, "feed", "import", "--strict", filepath.Join(feedFixtures, "tracker.json")); err == nil || !strings.Contains(err.Error(), "3 records cannot be read") {
		t.Errorf("--strict: err = %v", err)
	}

	out, err = runIngot(t, "feed", "status", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var st feedStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Path != db || st.Counts[vuln.SourceOSV] != 4 || st.Counts[vuln.SourceDebianTracker] != 9 || len(st.Sources) != 2 {
		t.Errorf("status %+v", st)
	}

	out, err = runIngot(t, "feed", "show", "CVE-2024-0006")
	if err != nil || !strings.Contains(out, "Debian:12 openssl: open, urgency low, no-dsa (postponed)") {
		t.Errorf("show: %v\n%s", err, out)
	}
	if _, err := runIngot(t, "feed", "show", "CVE-1999-0001"); err == nil || !strings.Contains(err.Error(), "import or sync") {
		t.Errorf("show of a missing id: err = %v", err)
	}

	if _, err := runIngot(t, "feed", "sync"); err == nil || !strings.Contains(err.Error(), feed.EnvOSVURL) {
		t.Errorf("sync without URLs: err = %v", err)
	}
	if _, err := runIngot(t, "feed", "import", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("importing a missing path succeeded")
	}
}

func TestFeedSyncCommand(t *testing.T) {
	tracker, err := os.ReadFile(filepath.Join(feedFixtures, "tracker.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tracker/data/json" {
			http.NotFound(w, r)
			return
		}
		w.Write(tracker)
	}))
	defer srv.Close()
	t.Setenv(feed.EnvFeedsDB, filepath.Join(t.TempDir(), "feeds.db"))
	t.Setenv(feed.EnvOSVURL, "")
	t.Setenv(feed.EnvDebianTrackerURL, srv.URL+"/tracker/data/json")
	out, err := runIngot(t, "feed", "sync")
	if err != nil || !strings.Contains(out, "9 advisories imported") {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	_, err = runIngot(t, "feed", "sync", "--osv-url", srv.URL, "--ecosystem", "Go")
	if err == nil || !strings.Contains(err.Error(), "404 Not Found") || !strings.Contains(err.Error(), "ingot feed import") {
		t.Errorf("sync of a missing archive: err = %v", err)
	}
}
