package scan

import (
	"context"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/report"
	"github.com/ingot-dev/ingot/vuln/vex"
)

func TestScan(t *testing.T) {
	doc := appDoc("registry.example.com/web", "aa", "web", "0.7.0")
	ctx := context.Background()
	tests := []struct {
		desc        string
		opts        []Option
		wantSummary report.Summary
		wantFirst   string
	}{
		{"vuln/priority's rules by default", nil, report.Summary{High: 1, Medium: 1}, "high"},
		{"prioritised", []Option{WithPrioritizer(byUrgency)}, report.Summary{High: 2}, "high"},
		{"VEX not_affected on the image", []Option{WithPrioritizer(byUrgency),
			WithVEX([]vex.Decision{notAffected("CVE-2023-39325", doc.Image.Name+"@"+doc.Image.Digest)})},
			report.Summary{High: 1, Suppressed: 1}, "high"},
		{"VEX with the default priorities", []Option{
			WithVEX([]vex.Decision{notAffected("CVE-2023-39325", doc.Image.Name+"@"+doc.Image.Digest)})},
			report.Summary{High: 1, Suppressed: 1}, "high"},
		{"VEX on another image changes nothing", []Option{WithPrioritizer(byUrgency),
			WithVEX([]vex.Decision{notAffected("CVE-2023-39325", doc.Image.Name+"@"+dg("ff"))})},
			report.Summary{High: 2}, "high"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			res, err := New(testDB(), tc.opts...).Scan(ctx, "web:1", nil, doc)
			if err != nil {
				t.Fatal(err)
			}
			if tc.opts == nil && res.Findings[0].Reason != "urgency high; fixed in 3.0.14-1~deb12u1" {
				t.Errorf("default reason = %q", res.Findings[0].Reason)
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary != tc.wantSummary {
				t.Errorf("summary = %+v, want %+v", res.Summary, tc.wantSummary)
			}
			if len(res.Findings) != 2 || string(res.Findings[0].Priority) != tc.wantFirst {
				t.Fatalf("findings = %+v", res.Findings)
			}
			if res.Image.Ref != "web:1" || res.Image.Digest != doc.Image.Digest || res.Image.Distro != "debian-12" {
				t.Errorf("image = %+v", res.Image)
			}
			for _, f := range res.Findings {
				if f.Status == vuln.StatusNotAffected && !strings.Contains(f.Reason, "VEX not_affected by alice") {
					t.Errorf("suppressed finding's reason %q does not name the decision", f.Reason)
				}
			}
		})
	}
	fixed := appDoc("registry.example.com/web", "ab", "web", "0.17.0")
	res, err := New(testDB()).Scan(ctx, "web:2", nil, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].ID() != "CVE-2024-5535" {
		t.Errorf("with x/net 0.17.0, findings = %+v, want only the openssl one", res.Findings)
	}
}

func TestMerge(t *testing.T) {
	doc := appDoc("r", "aa", "web", "0.7.0")
	feeds := New(testDB()).m.Match(doc)
	logs := []vuln.Finding{
		{Package: doc.Packages[0], Advisory: &vuln.Advisory{ID: "CVE-2024-5535", Source: "debian-changelog"}},
		{Package: doc.Packages[0], Advisory: &vuln.Advisory{ID: "CVE-2024-9143", Source: "debian-changelog"}},
	}
	got := merge(feeds, logs)
	if len(got) != 3 || got[2].Advisory.ID != "CVE-2024-9143" {
		t.Errorf("merge kept %d findings (%v), want the feeds' 2 and the changelog's new CVE", len(got), got)
	}
}
