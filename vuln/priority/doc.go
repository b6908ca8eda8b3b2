// Package priority gives every finding a priority (critical, high, medium,
// low, negligible) and a one-line reason that says why: how severe the
// advisory is, whether a fix exists, what the Debian security team says, and
// whether the image's entrypoint actually loads the package (vuln/exposure).
//
// The rules, applied in order (each step moves one level, never above
// critical or below negligible):
//
//	step          condition                                           effect
//	------------  --------------------------------------------------  ---------------------------
//	VEX           status not_affected or fixed                        negligible, stop
//	severity      highest CVSS v3 base score: >= 9.0 / 7.0 / 4.0 / >0  critical / high / medium / low
//	              / 0.0                                                / negligible
//	              else highest GHSA rating CRITICAL/HIGH/MODERATE/LOW  critical / high / medium / low
//	              else Debian urgency emergency|critical / high /      critical / high / medium /
//	              medium / low / unimportant                           low / negligible
//	              else (nothing known)                                 medium
//	Debian        unimportant                                          negligible, stop
//	              no-dsa, postponed, ignored, end-of-life              one lower
//	fix           no fixed version known                               one lower
//	exposure      loaded (ELF closure or Go module of the entrypoint)  one higher
//	              and the image exposes ports
//	              loaded, no exposed ports                             unchanged
//	              Debian package or Go module present, not loaded      one lower
//	              other ecosystems, or no exposure report              unchanged
//
// The reason names each step that applied, first the exposure:
// "libssl3 is loaded by /usr/sbin/nginx, the entrypoint, which listens on
// 8080/tcp (via libssl.so.3); CVSS 7.5; fixed in 3.0.15-1~deb12u1".
//
// It is not a matcher (vuln) nor a store of decisions (vuln/vex): it reads
// findings, and their VEX status when a decision set one, and returns new
// findings.
package priority
