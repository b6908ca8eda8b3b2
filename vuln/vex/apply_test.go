package vex

import (
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
)

func TestPrecedence(t *testing.T) {
	purlOnly := decision(vuln.StatusAffected, func(d *Decision) { d.PURL = "pkg:deb/debian/libssl3" })
	repoOnly := decision(vuln.StatusUnderInvestigation, func(d *Decision) { d.Repo = repo })
	repoPURL := decision(vuln.StatusFixed, func(d *Decision) { d.Repo = repo; d.PURL = ssl })
	image := decision(vuln.StatusNotAffected, func(d *Decision) { d.Image = repo + "@" + digest })
	imagePURL := decision(vuln.StatusFixed, func(d *Decision) {
		d.Image = repo + "@" + digest
		d.PURL = "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"
	})
	later := decision(vuln.StatusAffected, func(d *Decision) { d.Repo = repo; d.Timestamp = when.AddDate(0, 0, 1) })
	tests := []struct {
		desc       string
		decisions  []Decision
		repo, dg   string
		finding    vuln.Finding
		wantStatus vuln.Status
	}{
		{"no decision", nil, repo, digest, finding("CVE-2024-0001", ssl), vuln.StatusAffected},
		{"purl without version covers every version", []Decision{purlOnly}, "other", other,
			finding("CVE-2024-0001", ssl), vuln.StatusAffected},
		{"repo beats purl", []Decision{purlOnly, repoOnly}, repo, other,
			finding("CVE-2024-0001", ssl), vuln.StatusUnderInvestigation},
		{"purl+repo beats repo", []Decision{repoOnly, repoPURL}, repo, other,
			finding("CVE-2024-0001", ssl), vuln.StatusFixed},
		{"image beats purl+repo, repo and purl", []Decision{purlOnly, repoOnly, repoPURL, image}, repo, digest,
			finding("CVE-2024-0001", ssl), vuln.StatusNotAffected},
		{"purl+image beats image", []Decision{image, imagePURL, repoOnly}, repo, digest,
			finding("CVE-2024-0001", ssl), vuln.StatusFixed},
		{"image decision does not cover another image", []Decision{image, repoOnly}, repo, other,
			finding("CVE-2024-0001", ssl), vuln.StatusUnderInvestigation},
		{"versioned purl does not cover another version", []Decision{imagePURL}, repo, digest,
			finding("CVE-2024-0001", "pkg:deb/debian/libssl3@3.0.16-1?arch=amd64"), vuln.StatusAffected},
		{"same scope: the latest wins", []Decision{repoOnly, later}, repo, digest,
			finding("CVE-2024-0001", ssl), vuln.StatusAffected},
		{"matched through an alias, case-insensitively", []Decision{image}, repo, digest,
			finding("DSA-5555-1", ssl, "cve-2024-0001"), vuln.StatusNotAffected},
		{"other vulnerability untouched", []Decision{image}, repo, digest,
			finding("CVE-2024-0002", ssl), vuln.StatusAffected},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			in := []vuln.Finding{tc.finding}
			got := NewIndex(tc.decisions).Apply(tc.repo, tc.dg, in)
			if got[0].Status != tc.wantStatus {
				t.Errorf("status = %s, want %s (reason %q)", got[0].Status, tc.wantStatus, got[0].Reason)
			}
			idx := NewIndex(tc.decisions)
			if mentioned := idx.Lookup(tc.repo, tc.dg, &tc.finding) != nil; mentioned && !idx.Mentions(&tc.finding) {
				t.Error("Mentions is false for a finding a decision covers")
			}
			if in[0].Status != vuln.StatusAffected || in[0].Reason != "high urgency" {
				t.Error("Apply modified its input")
			}
			if got[0].Status != vuln.StatusAffected && !strings.Contains(got[0].Reason, "by alice on 2026-11-2") {
				t.Errorf("reason %q does not say who and when", got[0].Reason)
			}
		})
	}
}

func TestMentions(t *testing.T) {
	idx := NewIndex([]Decision{decision(vuln.StatusFixed, func(d *Decision) { d.PURL = ssl })})
	for _, tc := range []struct {
		desc string
		f    vuln.Finding
		want bool
	}{
		{"by id", finding("CVE-2024-0001", "pkg:npm/x@1"), true},
		{"by alias", finding("GHSA-1", "pkg:npm/x@1", "CVE-2024-0001"), true},
		{"other", finding("CVE-2024-0009", ssl), false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if got := idx.Mentions(&tc.f); got != tc.want {
				t.Errorf("Mentions = %v, want %v", got, tc.want)
			}
		})
	}
}
