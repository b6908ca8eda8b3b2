package priority_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/exposure"
	"github.com/ingot-dev/ingot/vuln/priority"
)

func ExampleFor() {
	exp := &exposure.Report{
		Entrypoint: "nginx", Program: "/usr/sbin/nginx", Ports: []string{"8080/tcp"},
		Files: []exposure.File{{Path: "/usr/lib/x86_64-linux-gnu/libssl.so.3", Package: "libssl3", Chain: []string{"/usr/sbin/nginx", "libssl.so.3"}}},
	}
	adv := &vuln.Advisory{ID: "CVE-2024-5535", Severity: []vuln.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}}}
	for _, pkg := range []string{"libssl3", "openssl"} {
		f := vuln.Finding{Package: sbom.Package{Ecosystem: sbom.Deb, Name: pkg}, Advisory: adv, FixedVersion: "3.0.15-1~deb12u1"}
		p, reason := priority.For(&f, exp)
		fmt.Printf("%s: %s\n", p, reason)
	}
	// Output:
	// critical: libssl3 is loaded by /usr/sbin/nginx, the entrypoint, which listens on 8080/tcp (through libssl.so.3) (raised); CVSS 7.5; fixed in 3.0.15-1~deb12u1
	// medium: openssl present, not loaded by the entrypoint /usr/sbin/nginx (lowered); CVSS 7.5; fixed in 3.0.15-1~deb12u1
}
