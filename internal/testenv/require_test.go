package testenv

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of acting.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Skip(args ...any)          { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }

func TestRequireToolSkipsOrFails(t *testing.T) {
	tests := []struct {
		desc               string
		ci                 string
		tools              []string
		wantSkip, wantFail bool
	}{
		{desc: "present tool passes", ci: "", tools: []string{"sh"}},
		{desc: "present tool passes in CI", ci: "true", tools: []string{"sh"}},
		{desc: "missing tool skips", ci: "", tools: []string{"sh", "ingot-no-such-tool"}, wantSkip: true},
		{desc: "missing tool fails in CI", ci: "true", tools: []string{"ingot-no-such-tool"}, wantFail: true},
		{desc: "CI=false is not CI", ci: "false", tools: []string{"ingot-no-such-tool"}, wantSkip: true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			RequireTool(r, tc.tools...)
			if (r.skipped != "") != tc.wantSkip || (r.failed != "") != tc.wantFail {
				t.Fatalf("skipped=%q failed=%q, want skip=%v fail=%v", r.skipped, r.failed, tc.wantSkip, tc.wantFail)
			}
			if tc.wantSkip || tc.wantFail {
				if msg := r.skipped + r.failed; !strings.Contains(msg, "ingot-no-such-tool") {
					t.Errorf("reason %q does not name the missing tool", msg)
				}
			}
		})
	}
}

func TestRequireNetworkOffline(t *testing.T) {
	if testing.Short() {
		t.Setenv("CI", "true")
		r := &recorder{TB: t}
		RequireNetwork(r)
		if r.skipped == "" || r.failed != "" {
			t.Fatalf("under -short in CI: skipped=%q failed=%q, want a skip", r.skipped, r.failed)
		}
		return
	}
	tests := []struct {
		desc, ci, offline  string
		wantSkip, wantFail bool
	}{
		{desc: "online passes", ci: "", offline: ""},
		{desc: "offline skips", ci: "", offline: "1", wantSkip: true},
		{desc: "offline fails in CI", ci: "true", offline: "1", wantFail: true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv("INGOT_OFFLINE", tc.offline)
			r := &recorder{TB: t}
			RequireNetwork(r)
			if (r.skipped != "") != tc.wantSkip || (r.failed != "") != tc.wantFail {
				t.Fatalf("skipped=%q failed=%q, want skip=%v fail=%v", r.skipped, r.failed, tc.wantSkip, tc.wantFail)
			}
		})
	}
}

func TestRequireRoot(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	RequireRoot(r)
	if root := os.Geteuid() == 0; root != (r.skipped == "") {
		t.Fatalf("RequireRoot skipped=%q as uid %d", r.skipped, os.Geteuid())
	}
}
