package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/internal/version"
	"github.com/ingot-dev/ingot/vuln"
)

// SARIF 2.1.0's schema and version.
const (
	SARIFSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	SARIFVersion = "2.1.0"
)

// The SARIF log model, only what ingot writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool      `json:"tool"`
		Results    []sarifResult  `json:"results"`
		Properties map[string]any `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name    string      `json:"name"`
		Version string      `json:"version,omitempty"`
		Rules   []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string         `json:"id"`
		ShortDescription sarifMessage   `json:"shortDescription"`
		Help             *sarifMessage  `json:"help,omitempty"`
		Properties       map[string]any `json:"properties,omitempty"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifMessage       `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
		Properties          map[string]any     `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification,omitempty"`
	}
)

// securitySeverity maps priorities to the CVSS-like score code scanning
// dashboards sort by.
var securitySeverity = map[vuln.Priority]string{
	vuln.Critical: "9.5", vuln.High: "8.0", vuln.Medium: "5.5", vuln.Low: "3.0", vuln.Negligible: "0.5",
}

// level maps a priority to a SARIF level.
func level(p vuln.Priority) string {
	switch p {
	case vuln.Critical, vuln.High:
		return "error"
	case vuln.Medium:
		return "warning"
	case vuln.Low, vuln.Negligible:
		return "note"
	}
	return "warning"
}

// SARIF writes results as one SARIF 2.1.0 log with one run per result: a
// rule per vulnerability, a result per finding located at the file the
// package was found in (the dpkg database, the Go binary) and named by its
// purl. Findings that a VEX decision marked not_affected or fixed carry an
// accepted external suppression with the decision as justification.
func SARIF(w io.Writer, results ...*Result) error {
	log := sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{}}
	for _, r := range results {
		log.Runs = append(log.Runs, sarifRunOf(r))
	}
	return JSON(w, log)
}

func sarifRunOf(r *Result) sarifRun {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "ingot", Version: version.String(), Rules: []sarifRule{}}},
		Results:    []sarifResult{},
		Properties: map[string]any{"image": r.Image.Ref},
	}
	if r.Image.Digest != "" {
		run.Properties["digest"] = r.Image.Digest
	}
	ruleIndex := map[string]int{}
	var ids []string
	byID := map[string]*vuln.Finding{}
	for i := range r.Findings {
		id := r.Findings[i].ID()
		if _, ok := byID[id]; !ok {
			byID[id] = &r.Findings[i]
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for i, id := range ids {
		f := byID[id]
		ruleIndex[id] = i
		desc := f.Advisory.Summary
		if desc == "" {
			desc = id
		}
		rule := sarifRule{ID: id, ShortDescription: sarifMessage{Text: oneLine(desc)}}
		if aliases := f.Advisory.Aliases; len(aliases) > 0 {
			rule.Help = &sarifMessage{Text: f.Advisory.ID + ", also known as " + strings.Join(aliases, ", ")}
		}
		if s, ok := securitySeverity[f.Priority]; ok {
			rule.Properties = map[string]any{"security-severity": s, "tags": []string{"security", "vulnerability"}}
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		id := f.ID()
		msg := fmt.Sprintf("%s %s is affected by %s", f.Package.Name, f.Package.Version, id)
		if f.FixedVersion != "" {
			msg += "; fixed in " + f.FixedVersion
		}
		if f.Reason != "" {
			msg += ". " + oneLine(f.Reason)
		}
		uri := "image"
		if len(f.Package.Locations) > 0 {
			uri = strings.TrimPrefix(f.Package.Locations[0], "/")
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}
		if f.Package.PURL != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Package.PURL, Kind: "package"}}
		}
		sum := sha256.Sum256([]byte(r.Image.Name + "\x00" + id + "\x00" + f.Package.PURL + "\x00" + f.Package.Name))
		res := sarifResult{
			RuleID: id, RuleIndex: ruleIndex[id], Level: level(f.Priority),
			Message:             sarifMessage{Text: msg},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"ingotFinding/v1": hex.EncodeToString(sum[:16])},
			Properties:          map[string]any{"status": string(f.Status)},
		}
		if f.Priority != "" {
			res.Properties["priority"] = string(f.Priority)
		}
		if Suppressed(f) {
			res.Level = "none"
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: oneLine(f.Reason)}}
		}
		run.Results = append(run.Results, res)
	}
	return run
}
