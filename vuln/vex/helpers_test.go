package vex

import (
	"strings"
	"time"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

var (
	when   = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	digest = "sha256:" + strings.Repeat("ab", 32)
	other  = "sha256:" + strings.Repeat("cd", 32)
	repo   = "registry.example.com/team/web"
	ssl    = "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12"
)

func finding(id, purl string, aliases ...string) vuln.Finding {
	return vuln.Finding{
		Package:  sbom.Package{Ecosystem: "deb", Name: "libssl3", PURL: purl},
		Advisory: &vuln.Advisory{ID: id, Aliases: aliases},
		Status:   vuln.StatusAffected,
		Reason:   "high urgency",
	}
}

func decision(status vuln.Status, mod func(*Decision)) Decision {
	d := Decision{Vuln: "CVE-2024-0001", Status: status, Author: "alice", Timestamp: when}
	switch status {
	case vuln.StatusNotAffected:
		d.Justification = VulnerableCodeNotInExecutePath
	case vuln.StatusAffected:
		d.Action = "update openssl"
	}
	mod(&d)
	return d
}
