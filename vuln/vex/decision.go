package vex

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/vuln"
)

// Justifications of a not_affected status, as OpenVEX names them.
const (
	ComponentNotPresent                         = "component_not_present"
	VulnerableCodeNotPresent                    = "vulnerable_code_not_present"
	VulnerableCodeNotInExecutePath              = "vulnerable_code_not_in_execute_path"
	VulnerableCodeCannotBeControlledByAdversary = "vulnerable_code_cannot_be_controlled_by_adversary"
	InlineMitigationsAlreadyExist               = "inline_mitigations_already_exist"
)

// Justifications lists the valid justifications.
var Justifications = []string{ComponentNotPresent, VulnerableCodeNotPresent, VulnerableCodeNotInExecutePath,
	VulnerableCodeCannotBeControlledByAdversary, InlineMitigationsAlreadyExist}

// Statuses lists the valid statuses.
var Statuses = []vuln.Status{vuln.StatusNotAffected, vuln.StatusAffected, vuln.StatusFixed, vuln.StatusUnderInvestigation}

// ErrInvalid is wrapped by errors about decisions that break VEX's rules.
var ErrInvalid = errors.New("invalid VEX decision")

// Maximum lengths of a decision's fields.
const (
	maxID   = 256
	maxText = 4096
)

// Decision is one engineer's statement about a vulnerability in a scope.
type Decision struct {
	Vuln string `json:"vulnerability"` // "CVE-2024-1234", "GO-2023-2102"
	// Image is "repository@sha256:..." (one image); Repo a repository (all its
	// images); PURL a package, with or without version. At least one is set;
	// Image and Repo exclude each other.
	Image string `json:"image,omitempty"`
	Repo  string `json:"repo,omitempty"`
	PURL  string `json:"purl,omitempty"`

	Status vuln.Status `json:"status"`
	// Justification is one of Justifications; only with not_affected.
	Justification string `json:"justification,omitempty"`
	// Impact says why the vulnerability does not apply (not_affected).
	Impact string `json:"impactStatement,omitempty"`
	// Action says what to do about it (affected needs one).
	Action    string    `json:"actionStatement,omitempty"`
	Note      string    `json:"note,omitempty"`
	Author    string    `json:"author"`
	Timestamp time.Time `json:"timestamp"`
}

// ImageDigest returns the digest part of d.Image.
func (d *Decision) ImageDigest() string {
	_, dg, _ := strings.Cut(d.Image, "@")
	return dg
}

// ImageRepo returns the repository part of d.Image.
func (d *Decision) ImageRepo() string {
	r, _, _ := strings.Cut(d.Image, "@")
	return r
}

// Scope describes d's scope for people: "image r@sha256:…", "purl pkg:… in repo r".
func (d *Decision) Scope() string {
	var parts []string
	if d.PURL != "" {
		parts = append(parts, "purl "+d.PURL)
	}
	if d.Image != "" {
		parts = append(parts, "image "+d.Image)
	}
	if d.Repo != "" {
		parts = append(parts, "repo "+d.Repo)
	}
	return strings.Join(parts, " in ")
}

// specificity ranks scopes: purl+image 5, image 4, purl+repo 3, repo 2, purl 1.
func (d *Decision) specificity() int {
	n := 0
	switch {
	case d.Image != "":
		n = 4
	case d.Repo != "":
		n = 2
	}
	if d.PURL != "" {
		n++
	}
	return n
}

// Validate checks d against VEX's rules; errors wrap ErrInvalid.
func (d *Decision) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w for %q: %s", ErrInvalid, d.Vuln, fmt.Sprintf(format, a...))
	}
	switch {
	case d.Vuln == "":
		return fmt.Errorf("%w: no vulnerability named", ErrInvalid)
	case len(d.Vuln) > maxID || strings.ContainsAny(d.Vuln, " \t\n/"):
		return bad("not a vulnerability identifier (want CVE-..., GHSA-..., GO-...)")
	case d.Image == "" && d.Repo == "" && d.PURL == "":
		return bad("no scope: name an image, a repository or a purl")
	case d.Image != "" && d.Repo != "":
		return bad("an image and a repository: name one of them")
	case len(d.Image) > maxID || len(d.Repo) > maxID || len(d.PURL) > maxID:
		return bad("scope longer than %d characters", maxID)
	case len(d.Impact) > maxText || len(d.Action) > maxText || len(d.Note) > maxText || len(d.Author) > maxID:
		return bad("text longer than %d characters", maxText)
	case d.Author == "":
		return bad("no author")
	case d.Timestamp.IsZero():
		return bad("no timestamp")
	}
	if d.Image != "" {
		repo, dg, ok := strings.Cut(d.Image, "@")
		if !ok || repo == "" || !strings.HasPrefix(dg, "sha256:") || len(dg) != 71 {
			return bad("image %q is not repository@sha256:<64 hex digits>", d.Image)
		}
	}
	if d.PURL != "" && !strings.HasPrefix(d.PURL, "pkg:") {
		return bad("purl %q does not start with pkg:", d.PURL)
	}
	if !slices.Contains(Statuses, d.Status) {
		return bad("status %q is not one of not_affected, affected, fixed, under_investigation", d.Status)
	}
	if d.Justification != "" {
		if !slices.Contains(Justifications, d.Justification) {
			return bad("justification %q is not one of %s", d.Justification, strings.Join(Justifications, ", "))
		}
		if d.Status != vuln.StatusNotAffected {
			return bad("a justification only goes with status not_affected")
		}
	}
	if d.Status == vuln.StatusNotAffected && d.Justification == "" && d.Impact == "" {
		return bad("not_affected needs a justification or an impact statement")
	}
	if d.Status == vuln.StatusAffected && d.Action == "" {
		return bad("affected needs an action statement (what to do about it)")
	}
	return nil
}
