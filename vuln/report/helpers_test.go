package report

import (
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
)

func sampleResult() *Result {
	os := &sbom.Layer{DiffID: "sha256:1111111111111111", Name: "os", Owner: "platform <platform@example.com>", Base: true}
	fs := []vuln.Finding{
		{
			Package: sbom.Package{Ecosystem: "deb", Name: "libssl3", Version: "3.0.11-1~deb12u2",
				PURL: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", Locations: []string{"/var/lib/dpkg/status"}},
			Layer:        os,
			Advisory:     &vuln.Advisory{ID: "CVE-2024-5535", Summary: "SSL_select_next_proto buffer overread"},
			FixedVersion: "3.0.14-1~deb12u1", Status: vuln.StatusAffected, Priority: vuln.High,
			Reason: "libssl3 is loaded by /usr/sbin/nginx, the entrypoint, which listens on 8080",
		},
		{
			Package:      sbom.Package{Ecosystem: "golang", Name: "golang.org/x/net", Version: "v0.7.0", PURL: "pkg:golang/golang.org/x/net@v0.7.0", Locations: []string{"/app/server"}},
			Advisory:     &vuln.Advisory{ID: "GO-2023-1571", Aliases: []string{"CVE-2022-41723"}, Summary: "Denial of service via crafted HTTP/2 stream"},
			FixedVersion: "0.7.0", Status: vuln.StatusAffected, Priority: vuln.Critical, Reason: "in the entrypoint's module list",
		},
		{
			Package:  sbom.Package{Ecosystem: "deb", Name: "openssl", Version: "3.0.11-1~deb12u2", PURL: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"},
			Layer:    os,
			Advisory: &vuln.Advisory{ID: "CVE-2024-5535"},
			Status:   vuln.StatusNotAffected, Priority: vuln.Low,
			Reason: "VEX not_affected by alice on 2026-11-20 (vulnerable_code_not_in_execute_path); openssl CLI present, not loaded",
		},
	}
	Sort(fs)
	return &Result{
		Image:    Image{Ref: "registry.example.com/web:1", Name: "registry.example.com/web", Digest: "sha256:abcd", Distro: "debian-12"},
		Findings: fs, Summary: Summarise(fs),
	}
}
