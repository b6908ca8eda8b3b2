package vex_test

import (
	"fmt"
	"time"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/vex"
)

func ExampleIndex_Apply() {
	decisions := []vex.Decision{{
		Vuln: "CVE-2024-5535", Repo: "registry.example.com/web", PURL: "pkg:deb/debian/libssl3",
		Status: vuln.StatusNotAffected, Justification: vex.VulnerableCodeNotInExecutePath,
		Note: "nginx is built without NPN", Author: "alice", Timestamp: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
	}}
	findings := []vuln.Finding{{
		Package:  sbom.Package{Name: "libssl3", PURL: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64"},
		Advisory: &vuln.Advisory{ID: "CVE-2024-5535"},
		Status:   vuln.StatusAffected,
	}}
	out := vex.NewIndex(decisions).Apply("registry.example.com/web", "sha256:0123", findings)
	fmt.Println(out[0].Status)
	fmt.Println(out[0].Reason)
	// Output:
	// not_affected
	// VEX not_affected by alice on 2026-11-20 (vulnerable_code_not_in_execute_path): nginx is built without NPN
}
