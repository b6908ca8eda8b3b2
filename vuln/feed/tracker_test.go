package feed_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

var trackerFixture = filepath.Join("..", "testdata", "tracker.json")

func TestReadTracker(t *testing.T) {
	f, err := os.Open(trackerFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	advs, problems, err := feed.ReadTracker(f, "tracker.json")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*vuln.Advisory{}
	for _, a := range advs {
		byID[a.ID] = a
	}
	tests := []struct {
		id, release string
		want        string // status fixed urgency nodsa-reason, or "" for no entry
	}{
		{"CVE-2024-0001", "12", "resolved 3.0.15-1~deb12u1 medium "},
		{"CVE-2024-0001", "13", "resolved 3.3.1-1 medium "},
		{"CVE-2024-0002", "12", "open  high "},
		{"CVE-2024-0003", "12", "undetermined  not yet assigned "},
		{"CVE-2024-0004", "12", "open  unimportant "},
		{"CVE-2024-0005", "12", "open  low "},
		{"CVE-2024-0006", "12", "open  low postponed"},
		{"CVE-2024-0007", "12", "open  low ignored"},
		{"CVE-2024-0008", "12", ""},                      // fixed_version 0: never affected
		{"CVE-2024-0009", "12", "resolved 3.0.9-1 low "}, // "low**" trimmed
		{"CVE-2024-0010", "12", "open  end-of-life "},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.release, func(t *testing.T) {
			got := ""
			if a := byID[tt.id]; a != nil {
				for _, af := range a.Affected {
					if af.DebianRelease == tt.release {
						d := af.Debian
						got = d.Status + " " + d.FixedVersion + " " + d.Urgency + " " + d.NoDSAReason
					}
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if a := byID["CVE-2024-0002"]; a == nil || a.Severity[0] != (vuln.Severity{Type: "Debian", Score: "high"}) || a.Summary != "open, a DSA is expected" {
		t.Errorf("CVE-2024-0002 = %+v", a)
	}
	var recs []string
	for _, p := range problems {
		if p.File != "tracker.json" {
			t.Errorf("problem without its file: %+v", p)
		}
		recs = append(recs, p.Record)
	}
	if want := "badpkg/CVE-2024-0100 bookworm,badpkg/CVE-2024-0101 bookworm,badtype"; strings.Join(recs, ",") != want {
		t.Errorf("problems = %v, want %s", recs, want)
	}
}

// TestImportTrackerReplaces: a tracker file is a snapshot; importing a
// smaller one drops advisories the first had.
func TestImportTrackerReplaces(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	st, err := s.Import(ctx, trackerFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Tracker || st.Imported != 9 || len(st.Skipped) != 3 {
		t.Fatalf("stats = %+v", st)
	}
	small := filepath.Join(t.TempDir(), "small.json")
	os.WriteFile(small, []byte(`{"zlib": {"CVE-2023-1": {"releases": {"bookworm": {"status": "open", "urgency": "low"}}}}}`), 0o644)
	if _, err := s.Import(ctx, small); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.Counts(ctx)
	if counts[vuln.SourceDebianTracker] != 1 {
		t.Errorf("tracker advisories after the second import = %d, want 1", counts[vuln.SourceDebianTracker])
	}
}

func TestReadTrackerNotTracker(t *testing.T) {
	for _, in := range []string{`[]`, `"x"`, `{"a": {"CVE-1": {}}`, ``} {
		if _, _, err := feed.ReadTracker(strings.NewReader(in), "x.json"); !errors.Is(err, feed.ErrBadRecord) {
			t.Errorf("ReadTracker(%q) err = %v, want ErrBadRecord", in, err)
		}
	}
}

func FuzzReadTracker(f *testing.F) {
	data, err := os.ReadFile(trackerFixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"p": {"CVE-1": {"releases": {"sid": {"status": "resolved", "fixed_version": "1:2-3"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		advs, _, err := feed.ReadTracker(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !errors.Is(err, feed.ErrBadRecord) {
				t.Fatalf("error %v does not wrap ErrBadRecord", err)
			}
			return
		}
		for _, a := range advs {
			if a.ID == "" && len(a.Affected) == 0 {
				t.Fatalf("empty advisory %+v", a)
			}
			for _, af := range a.Affected {
				if af.Debian == nil || len(af.Ranges) != 1 {
					t.Fatalf("tracker entry without status or range: %+v", af)
				}
			}
		}
	})
}
