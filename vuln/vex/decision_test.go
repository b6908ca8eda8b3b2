package vex

import (
	"errors"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		desc string
		d    Decision
		ok   bool
	}{
		{"not_affected with justification", decision(vuln.StatusNotAffected, func(d *Decision) { d.Repo = repo }), true},
		{"not_affected with only an impact statement", decision(vuln.StatusNotAffected, func(d *Decision) {
			d.Repo, d.Justification, d.Impact = repo, "", "only the CLI links it"
		}), true},
		{"not_affected without either", decision(vuln.StatusNotAffected, func(d *Decision) { d.Repo, d.Justification = repo, "" }), false},
		{"unknown justification", decision(vuln.StatusNotAffected, func(d *Decision) { d.Repo, d.Justification = repo, "because" }), false},
		{"justification with affected", decision(vuln.StatusAffected, func(d *Decision) {
			d.Repo, d.Justification = repo, ComponentNotPresent
		}), false},
		{"affected without action", decision(vuln.StatusAffected, func(d *Decision) { d.Repo, d.Action = repo, "" }), false},
		{"fixed", decision(vuln.StatusFixed, func(d *Decision) { d.PURL = ssl }), true},
		{"unknown status", decision("wontfix", func(d *Decision) { d.PURL = ssl }), false},
		{"no scope", decision(vuln.StatusFixed, func(*Decision) {}), false},
		{"image and repo", decision(vuln.StatusFixed, func(d *Decision) { d.Image, d.Repo = repo+"@"+digest, repo }), false},
		{"image without digest", decision(vuln.StatusFixed, func(d *Decision) { d.Image = repo + ":1.0" }), false},
		{"purl not a purl", decision(vuln.StatusFixed, func(d *Decision) { d.PURL = "openssl" }), false},
		{"no author", decision(vuln.StatusFixed, func(d *Decision) { d.Repo, d.Author = repo, "" }), false},
		{"no vulnerability", decision(vuln.StatusFixed, func(d *Decision) { d.Repo, d.Vuln = repo, "" }), false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			err := tc.d.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}
