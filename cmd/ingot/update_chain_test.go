package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/update"
)

// TestUpdateTextChain: images built on images show what they are on, in
// the text report and in -o json.
func TestUpdateTextChain(t *testing.T) {
	const web, worker = "registry.test/apps/web:1", "registry.test/apps/worker:1"
	lu := &update.LockUpdate{Lockfile: "ingot.lock", UpToDate: true}
	for _, tc := range []struct {
		desc string
		rep  *updateReport
		want []string
	}{
		{"dry run", &updateReport{Lock: lu, DryRun: true, Base: "registry.test/golden/base:latest", Plan: []update.Target{
			{Image: web, OldDigest: "sha256:aa", Depth: 1},
			{Image: worker, OldDigest: "sha256:bb", Depth: 2, Base: web, Via: "sha256:aa"},
		}}, []string{
			"would rebase " + web + " (sha256:aa)\n",
			"would rebase " + worker + " (on " + web + ") (sha256:bb)\n",
		}},
		{"fleet", &updateReport{Lock: lu, Built: "registry.test/golden/base:latest@sha256:ff", Fleet: &update.Report{Results: []update.Result{
			{Image: web, Status: update.Rebased, OldDigest: "sha256:aa", NewDigest: "sha256:cc", Depth: 1},
			{Image: worker, Status: update.Failed, Depth: 2, Base: web, Error: "its base " + web + " was not rebased; rerun"},
			{Image: "registry.test/apps/cron:1", Status: update.Rebased, OldDigest: "sha256:dd", NewDigest: "sha256:ee", Depth: 2, Base: web},
		}}}, []string{
			"rebased   " + web + " sha256:aa -> sha256:cc\n",
			"FAILED    " + worker + " (on " + web + "): its base " + web + " was not rebased; rerun\n",
			"rebased   registry.test/apps/cron:1 (on " + web + ") sha256:dd -> sha256:ee\n",
		}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			out := updateText(tc.rep)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("text lacks %q:\n%s", w, out)
				}
			}
			b, err := json.Marshal(tc.rep)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"depth":2,"base":"`+web+`"`) {
				t.Errorf("json lacks the depth and base: %s", b)
			}
		})
	}
}
