package vex

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/vuln"
)

// Index finds the decision that covers a finding. Build it once with
// NewIndex; it is read-only and safe for concurrent use.
type Index struct {
	byVuln map[string][]*Decision
}

// NewIndex indexes decisions by vulnerability (case-insensitive).
func NewIndex(ds []Decision) *Index {
	idx := &Index{byVuln: map[string][]*Decision{}}
	for i := range ds {
		k := strings.ToUpper(ds[i].Vuln)
		idx.byVuln[k] = append(idx.byVuln[k], &ds[i])
	}
	return idx
}

// Len returns the number of decisions.
func (x *Index) Len() int {
	n := 0
	for _, ds := range x.byVuln {
		n += len(ds)
	}
	return n
}

// Lookup returns the decision that covers f in the image repo@digest, nil if
// none does: among decisions naming f's advisory (by ID or alias) whose scope
// holds the image and package, the most specific, then the latest.
func (x *Index) Lookup(repo, digest string, f *vuln.Finding) *Decision {
	if x == nil || len(x.byVuln) == 0 || f.Advisory == nil {
		return nil
	}
	var best *Decision
	consider := func(id string) {
		for _, d := range x.byVuln[strings.ToUpper(id)] {
			if !d.covers(repo, digest, f.Package.PURL) {
				continue
			}
			if best == nil || d.specificity() > best.specificity() ||
				d.specificity() == best.specificity() && d.Timestamp.After(best.Timestamp) {
				best = d
			}
		}
	}
	consider(f.Advisory.ID)
	for _, a := range f.Advisory.Aliases {
		consider(a)
	}
	return best
}

func (d *Decision) covers(repo, digest, purl string) bool {
	if d.Image != "" && d.ImageDigest() != digest {
		return false
	}
	if d.Repo != "" && d.Repo != repo {
		return false
	}
	return d.PURL == "" || purlCovers(d.PURL, purl)
}

// purlCovers reports whether the decision's purl want names the package
// purl got: the same package and version (qualifiers ignored unless want has
// them), or, when want has no version, any version of it.
func purlCovers(want, got string) bool {
	if got == "" {
		return false
	}
	if want == got {
		return true
	}
	wb, wv, wq := splitPURL(want)
	gb, gv, _ := splitPURL(got)
	if wb != gb {
		return false
	}
	if wv == "" {
		return true
	}
	return wq == "" && wv == gv
}

// splitPURL splits a purl into its part before the version, its version and
// its qualifiers and subpath.
func splitPURL(p string) (base, version, rest string) {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, rest = p[:i], p[i:]
	}
	base, version, _ = strings.Cut(p, "@")
	return base, version, rest
}

// Apply returns a copy of findings of the image repo@digest with the
// decisions that cover them applied: the status set and the reason prefixed
// with the decision (who, when, why).
func (x *Index) Apply(repo, digest string, findings []vuln.Finding) []vuln.Finding {
	out := make([]vuln.Finding, len(findings))
	copy(out, findings)
	for i := range out {
		f := &out[i]
		d := x.Lookup(repo, digest, f)
		if d == nil {
			continue
		}
		f.Status = d.Status
		why := d.Justification
		if d.Impact != "" {
			why = d.Impact
		}
		r := fmt.Sprintf("VEX %s by %s on %s", d.Status, d.Author, d.Timestamp.UTC().Format("2006-01-02"))
		if why != "" {
			r += " (" + why + ")"
		}
		if d.Note != "" {
			r += ": " + d.Note
		}
		if f.Reason != "" {
			r += "; " + f.Reason
		}
		f.Reason = r
	}
	return out
}

// Mentions reports whether any decision names f's advisory (by ID or alias),
// whatever its scope: a finding no decision mentions needs no Lookup.
func (x *Index) Mentions(f *vuln.Finding) bool {
	if x == nil || len(x.byVuln) == 0 || f.Advisory == nil {
		return false
	}
	if len(x.byVuln[strings.ToUpper(f.Advisory.ID)]) > 0 {
		return true
	}
	for _, a := range f.Advisory.Aliases {
		if len(x.byVuln[strings.ToUpper(a)]) > 0 {
			return true
		}
	}
	return false
}
