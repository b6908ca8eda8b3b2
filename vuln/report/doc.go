// Package report writes the findings of a vulnerability scan for people and
// tools: an aligned table, JSON (the Result model) and SARIF 2.1.0 for code
// scanning dashboards. Output is deterministic: the same findings give the
// same bytes.
//
// It does not find (vuln, vuln/scan), prioritise (vuln/priority) or decide
// (vuln/vex); it only presents what those produced.
package report
