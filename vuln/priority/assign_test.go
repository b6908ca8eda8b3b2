package priority

import (
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/exposure"
)

var nginx = &exposure.Report{
	Entrypoint: "nginx", Program: "/usr/sbin/nginx", Ports: []string{"8080/tcp"},
	Files: []exposure.File{
		{Path: "/usr/sbin/nginx", Package: "nginx", Chain: []string{"/usr/sbin/nginx"}},
		{Path: "/usr/lib/x86_64-linux-gnu/libssl.so.3", Package: "libssl3", Chain: []string{"/usr/sbin/nginx", "libssl.so.3"}},
	},
}

var goServer = &exposure.Report{Entrypoint: "/app/server", Program: "/app/server", Modules: []exposure.Module{{Path: "stdlib", Version: "go1.22.1"}, {Path: "golang.org/x/net", Version: "v0.17.0"}}}

func deb(name string) sbom.Package {
	return sbom.Package{Ecosystem: sbom.Deb, Name: name, Version: "1.0-1"}
}

func withSeverity(typ, score string) *vuln.Advisory {
	return &vuln.Advisory{ID: "CVE-2024-0001", Severity: []vuln.Severity{{Type: typ, Score: score}}}
}

func TestFor(t *testing.T) {
	cvss98 := withSeverity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
	cvss75 := withSeverity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H")
	cvss47 := withSeverity("CVSS_V3", "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N")
	none := &vuln.Advisory{ID: "CVE-2024-0002"}
	tests := []struct {
		desc   string
		f      vuln.Finding
		exp    *exposure.Report
		want   vuln.Priority
		reason string
	}{
		{"VEX not_affected", vuln.Finding{Package: deb("libssl3"), Advisory: cvss98, Status: vuln.StatusNotAffected}, nginx,
			vuln.Negligible, "libssl3 is not affected by a VEX decision"},
		{"VEX fixed", vuln.Finding{Package: deb("libssl3"), Advisory: cvss98, Status: vuln.StatusFixed}, nil,
			vuln.Negligible, "libssl3 is fixed by a VEX decision"},
		{"CVSS 9.8, fixed, no exposure report", vuln.Finding{Package: deb("libssl3"), Advisory: cvss98, FixedVersion: "1.0-2"}, nil,
			vuln.Critical, "CVSS 9.8; fixed in 1.0-2"},
		{"CVSS 7.5, loaded by the entrypoint which listens", vuln.Finding{Package: deb("libssl3"), Advisory: cvss75, FixedVersion: "1.0-2"}, nginx,
			vuln.Critical, "libssl3 is loaded by /usr/sbin/nginx, the entrypoint, which listens on 8080/tcp (through libssl.so.3) (raised); CVSS 7.5; fixed in 1.0-2"},
		{"CVSS 7.5, present but not loaded", vuln.Finding{Package: deb("openssl"), Advisory: cvss75, FixedVersion: "1.0-2"}, nginx,
			vuln.Medium, "openssl present, not loaded by the entrypoint /usr/sbin/nginx (lowered); CVSS 7.5; fixed in 1.0-2"},
		{"loaded, no ports: unchanged", vuln.Finding{Package: deb("libssl3"), Advisory: cvss47, FixedVersion: "1.0-2"},
			&exposure.Report{Program: "/bin/app", Files: nginx.Files},
			vuln.Medium, "libssl3 is loaded by /bin/app, the entrypoint (through libssl.so.3); CVSS 4.7; fixed in 1.0-2"},
		{"the highest CVSS wins over GHSA", vuln.Finding{Package: deb("x"), FixedVersion: "2", Advisory: &vuln.Advisory{Severity: []vuln.Severity{
			{Type: "GHSA", Score: "CRITICAL"}, {Type: "CVSS_V3", Score: cvss47.Severity[0].Score}, {Type: "CVSS_V3", Score: cvss75.Severity[0].Score}}}}, nil,
			vuln.High, "CVSS 7.5; fixed in 2"},
		{"GHSA when there is no CVSS v3", vuln.Finding{Package: sbom.Package{Ecosystem: sbom.Npm, Name: "lodash"}, Advisory: withSeverity("GHSA", "MODERATE"), FixedVersion: "4.17.21"}, nginx,
			vuln.Medium, "rated moderate; fixed in 4.17.21"},
		{"Debian urgency high", vuln.Finding{Package: deb("libc6"), Advisory: none, Urgency: "high", FixedVersion: "2.36-9+deb12u4", DebianStatus: vuln.DebianResolved}, nil,
			vuln.High, "urgency high; fixed in 2.36-9+deb12u4"},
		{"urgency from the advisory's Debian severity", vuln.Finding{Package: deb("libc6"), Advisory: withSeverity("Debian", "low"), FixedVersion: "2"}, nil,
			vuln.Low, "urgency low; fixed in 2"},
		{"changelog urgency emergency", vuln.Finding{Package: deb("libc6"), Advisory: none, Urgency: "emergency", FixedVersion: "2"}, nil,
			vuln.Critical, "urgency emergency; fixed in 2"},
		{"nothing known: medium", vuln.Finding{Package: deb("zlib1g"), Advisory: none, FixedVersion: "2"}, nil,
			vuln.Medium, "severity unknown (medium); fixed in 2"},
		{"no fix lowers", vuln.Finding{Package: deb("zlib1g"), Advisory: cvss75, DebianStatus: vuln.DebianOpen}, nil,
			vuln.Medium, "CVSS 7.5; no fix available yet (lowered)"},
		{"unimportant is negligible whatever the CVSS", vuln.Finding{Package: deb("libssl3"), Advisory: cvss98, DebianStatus: vuln.DebianUnimportant}, nginx,
			vuln.Negligible, "libssl3 is loaded by /usr/sbin/nginx, the entrypoint, which listens on 8080/tcp (through libssl.so.3) (raised); CVSS 9.8; Debian rates it unimportant (not a security problem in Debian's build or use)"},
		{"no-dsa lowers", vuln.Finding{Package: deb("x"), Advisory: cvss75, DebianStatus: vuln.DebianNoDSA, FixedVersion: "2"}, nil,
			vuln.Medium, "CVSS 7.5; fixed in 2; Debian: minor issue, no security advisory planned (lowered)"},
		{"postponed lowers", vuln.Finding{Package: deb("x"), Advisory: cvss75, DebianStatus: vuln.DebianPostponed}, nil,
			vuln.Low, "CVSS 7.5; no fix available yet (lowered); Debian: fix postponed to a later update (lowered)"},
		{"ignored lowers", vuln.Finding{Package: deb("x"), Advisory: cvss47, DebianStatus: vuln.DebianIgnored}, nil,
			vuln.Negligible, "CVSS 4.7; no fix available yet (lowered); Debian: will not be fixed in this release (lowered)"},
		{"end-of-life lowers", vuln.Finding{Package: deb("x"), Advisory: cvss98, DebianStatus: vuln.DebianEndOfLife}, nil,
			vuln.Medium, "CVSS 9.8; no fix available yet (lowered); Debian: package no longer supported in this release, replace it (lowered)"},
		{"undetermined is said, not weighed", vuln.Finding{Package: deb("x"), Advisory: cvss75, DebianStatus: vuln.DebianUndetermined, FixedVersion: "2"}, nil,
			vuln.High, "CVSS 7.5; fixed in 2; Debian: not yet known whether this release is affected"},
		{"never below negligible", vuln.Finding{Package: deb("openssl"), Advisory: withSeverity("Debian", "low"), DebianStatus: vuln.DebianIgnored}, nginx,
			vuln.Negligible, "openssl present, not loaded by the entrypoint /usr/sbin/nginx (lowered); urgency low; no fix available yet (lowered); Debian: will not be fixed in this release (lowered)"},
		{"script entrypoint", vuln.Finding{Package: deb("libssl3"), Advisory: cvss47, FixedVersion: "2"},
			&exposure.Report{Program: "/usr/bin/node", Script: "/app/server.js", Files: nginx.Files},
			vuln.Medium, "libssl3 is loaded by /usr/bin/node, which runs the entrypoint /app/server.js (through libssl.so.3); CVSS 4.7; fixed in 2"},
		{"Go module compiled into the entrypoint", vuln.Finding{Package: sbom.Package{Ecosystem: sbom.Golang, Name: "golang.org/x/net"}, Advisory: cvss75, FixedVersion: "0.23.0"}, goServer,
			vuln.High, "module golang.org/x/net is compiled into /app/server, the entrypoint; CVSS 7.5; fixed in 0.23.0"},
		{"same Go module in another binary only", vuln.Finding{Package: sbom.Package{Ecosystem: sbom.Golang, Name: "golang.org/x/net", Locations: []string{"/usr/bin/helper"}}, Advisory: cvss75, FixedVersion: "0.23.0"}, goServer,
			vuln.Medium, "module golang.org/x/net present, not loaded by the entrypoint /app/server (lowered); CVSS 7.5; fixed in 0.23.0"},
		{"Go module of another binary", vuln.Finding{Package: sbom.Package{Ecosystem: sbom.Golang, Name: "github.com/x/y"}, Advisory: cvss75, FixedVersion: "1.2.0"}, goServer,
			vuln.Medium, "module github.com/x/y present, not loaded by the entrypoint /app/server (lowered); CVSS 7.5; fixed in 1.2.0"},
		{"under investigation is said", vuln.Finding{Package: deb("x"), Advisory: cvss47, FixedVersion: "2", Status: vuln.StatusUnderInvestigation}, nil,
			vuln.Medium, "CVSS 4.7; fixed in 2; under investigation"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, reason := For(&tt.f, tt.exp)
			if got != tt.want || reason != tt.reason {
				t.Errorf("For = %s, %q\nwant    %s, %q", got, reason, tt.want, tt.reason)
			}
			if strings.Contains(reason, "\n") {
				t.Error("reason spans lines")
			}
		})
	}
}

func TestAssignReturnsCopies(t *testing.T) {
	in := []vuln.Finding{{Package: deb("libssl3"), Advisory: withSeverity("Debian", "high"), FixedVersion: "2"}, {Package: deb("openssl"), Advisory: withSeverity("Debian", "high")}}
	out := Assign(in, nginx)
	if in[0].Priority != "" || in[0].Reason != "" {
		t.Error("Assign modified its input")
	}
	got := []vuln.Priority{out[0].Priority, out[1].Priority}
	if want := []vuln.Priority{vuln.Critical, vuln.Low}; !slices.Equal(got, want) {
		t.Errorf("priorities %v, want %v (reasons %q, %q)", got, want, out[0].Reason, out[1].Reason)
	}
}
