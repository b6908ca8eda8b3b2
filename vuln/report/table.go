package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ingot-dev/ingot/vuln"
)

// maxReason bounds the reason column so that the table stays readable.
const maxReason = 120

// Table writes r as an aligned table: priority, vulnerability, package,
// installed → fixed version, layer and owner, reason; then a summary line.
func Table(w io.Writer, r *Result) error {
	fmt.Fprintf(w, "# %s", r.Image.Ref)
	if r.Image.Digest != "" {
		fmt.Fprintf(w, " %s", r.Image.Digest)
	}
	if r.Image.Distro != "" {
		fmt.Fprintf(w, " (%s)", r.Image.Distro)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRIORITY\tVULNERABILITY\tPACKAGE\tINSTALLED → FIXED\tLAYER/OWNER\tREASON")
	for i := range r.Findings {
		f := &r.Findings[i]
		prio := string(f.Priority)
		if prio == "" {
			prio = "-"
		}
		if Suppressed(f) {
			prio = string(f.Status)
		}
		fixed := f.FixedVersion
		if fixed == "" {
			fixed = "(no fix)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\t%s\n", prio, f.ID(), f.Package.Name, f.Package.Version, fixed,
			layerOwner(f), oneLine(f.Reason))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, SummaryLine(r.Summary))
	return err
}

// SummaryLine returns "3 findings: 1 critical, 2 high; 4 suppressed by VEX".
func SummaryLine(s Summary) string {
	var parts []string
	for _, c := range []struct {
		name string
		n    int
	}{{"critical", s.Critical}, {"high", s.High}, {"medium", s.Medium}, {"low", s.Low},
		{"negligible", s.Negligible}, {"unprioritised", s.Unprioritised}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	total := s.AtLeast(vuln.Negligible) + s.Unprioritised
	line := fmt.Sprintf("%d findings", total)
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if s.Suppressed > 0 {
		line += fmt.Sprintf("; %d not affected or fixed by VEX decision", s.Suppressed)
	}
	return line
}

func layerOwner(f *vuln.Finding) string {
	if f.Layer == nil {
		return "-"
	}
	name := f.Layer.Name
	if name == "" {
		name = strings.TrimPrefix(f.Layer.DiffID, "sha256:")
		if len(name) > 12 {
			name = name[:12]
		}
	}
	if f.Layer.Owner != "" {
		team, _, _ := strings.Cut(f.Layer.Owner, " <")
		return name + "/" + team
	}
	return name
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		s = s[:maxReason-1] + "…"
	}
	return s
}
