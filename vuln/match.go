package vuln

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/version"
)

// Match returns the findings of one image: every advisory of idx that
// affects one of doc's packages, compared with the package's ecosystem's
// version rules. See Matcher for the rules; to match many images against the
// same index, use one Matcher.
func Match(doc *sbom.Document, idx Index) []Finding {
	return NewMatcher(idx).Match(doc)
}

// Matcher matches images against one index. It remembers the result for
// each distinct (ecosystem, release, name, version) and each parsed range,
// so a fleet whose images share packages is matched in time proportional to
// its distinct packages. Safe for concurrent use; it must not outlive
// changes to the index.
type Matcher struct {
	idx    Index
	cache  sync.Map // pkgKey -> []hit
	ranges sync.Map // *Range -> *version.Range, or error
}

// NewMatcher returns a Matcher over idx.
func NewMatcher(idx Index) *Matcher { return &Matcher{idx: idx} }

type pkgKey struct{ ecosystem, release, name, version string }

// hit is a match of one advisory, before it is attached to a package.
type hit struct {
	adv      *Advisory
	affected *Affected
	fixed    string
	status   Status
	debian   DebianStatus
	urgency  string
}

// Match returns doc's findings, sorted by package then advisory id.
//
// Debian packages are matched on their source package and source version
// (a binNMU's "+bN" is the binary's, not the source's), against advisories of
// the image's release (doc.Image.Distro: "debian-12" is Debian:12); an image
// whose release is unknown (and whose packages' purls do not
// name it in their distro qualifier) gets no Debian findings. Go modules are matched
// with their "v" dropped; the standard library is the module "stdlib". When
// the Debian security tracker has an entry for a package's CVE, it decides:
// OSV records that alias that CVE are not reported separately, and a tracker
// entry that the installed version is fixed or not affected silences them.
func (m *Matcher) Match(doc *sbom.Document) []Finding {
	release := DebianRelease(doc.Image.Distro)
	hits := make([][]hit, len(doc.Packages))
	keys := make([]pkgKey, len(doc.Packages))
	order := make([]int, 0, len(doc.Packages))
	n := 0
	for i, p := range doc.Packages {
		if key, ok := matchKey(p, release); ok {
			if hs := m.hits(key); len(hs) > 0 {
				keys[i], hits[i] = key, hs
				n += len(hs)
				order = append(order, i)
			}
		}
	}
	if n == 0 {
		return nil
	}
	slices.SortStableFunc(order, func(a, b int) int { return comparePackages(doc.Packages[a], doc.Packages[b]) })
	out := make([]Finding, 0, n)
	for _, i := range order {
		key := keys[i]
		p := doc.Packages[i]
		layer := doc.LayerOf(p)
		for _, h := range hits[i] {
			out = append(out, Finding{
				Package: p, Layer: layer, MatchedName: key.name, MatchedVersion: key.version,
				Advisory: h.adv, Affected: h.affected, FixedVersion: h.fixed,
				Status: h.status, DebianStatus: h.debian, Urgency: h.urgency,
			})
		}
	}
	return out
}

func comparePackages(a, b sbom.Package) int {
	for _, c := range [][2]string{{a.Ecosystem, b.Ecosystem}, {a.Name, b.Name}, {a.Version, b.Version}, {a.Arch, b.Arch}} {
		if r := strings.Compare(c[0], c[1]); r != 0 {
			return r
		}
	}
	return a.Layer - b.Layer
}

var binNMU = regexp.MustCompile(`\+b[0-9]+$`)

// purlDistro returns the Debian release of a purl's distro qualifier
// ("...?arch=amd64&distro=debian-12" gives "12"), "" when it has none.
func purlDistro(purl string) string {
	_, q, ok := strings.Cut(purl, "?")
	if !ok {
		return ""
	}
	for _, kv := range strings.Split(q, "&") {
		if v, ok := strings.CutPrefix(kv, "distro="); ok {
			return DebianRelease(v)
		}
	}
	return ""
}

// matchKey is what a package is matched as: ecosystem, release, name and
// version as the feeds write them.
func matchKey(p sbom.Package, release string) (pkgKey, bool) {
	switch p.Ecosystem {
	case sbom.Deb:
		if release == "" {
			release = purlDistro(p.PURL)
		}
		if release == "" {
			return pkgKey{}, false
		}
		name, ver := p.Source, p.SourceVersion
		if name == "" {
			name = p.Name
		}
		if ver == "" {
			ver = binNMU.ReplaceAllString(p.Version, "")
		}
		return pkgKey{Debian, release, name, ver}, ver != ""
	case sbom.Golang:
		v := strings.TrimPrefix(p.Version, "v")
		return pkgKey{ecosystem: Go, name: p.Name, version: v}, v != "" && v != "(devel)"
	case sbom.Npm:
		return pkgKey{ecosystem: Npm, name: p.Name, version: p.Version}, p.Version != ""
	case sbom.PyPI:
		return pkgKey{ecosystem: PyPI, name: p.Name, version: p.Version}, p.Version != ""
	}
	return pkgKey{}, false
}

func (m *Matcher) hits(k pkgKey) []hit {
	if v, ok := m.cache.Load(k); ok {
		return v.([]hit)
	}
	hs := m.evaluate(k)
	m.cache.Store(k, hs)
	return hs
}

func (m *Matcher) evaluate(k pkgKey) []hit {
	advs := m.idx.Lookup(k.ecosystem, k.name)
	if len(advs) == 0 {
		return nil
	}
	scheme := version.ForEcosystem(k.ecosystem)
	var installed, semverInstalled version.Version
	installed, _ = scheme.Parse(k.version)
	semverInstalled, _ = version.Semver.Parse(k.version)
	var hits []hit
	cleared := map[string]bool{} // CVEs the tracker says this version does not have
	for _, a := range advs {
		for i := range a.Affected {
			af := &a.Affected[i]
			if af.Ecosystem != k.ecosystem || !sameName(k.ecosystem, af.Package, k.name) || af.DebianRelease != k.release {
				continue
			}
			affected, fixed := m.affects(af, k, installed, semverInstalled)
			if !affected {
				if af.Debian != nil {
					cleared[a.ID] = true
				}
				continue
			}
			h := hit{adv: a, affected: af, fixed: fixed, status: StatusAffected}
			if af.Debian != nil {
				h.debian, h.urgency = debianStatus(af.Debian), af.Debian.Urgency
				if h.debian == DebianUndetermined {
					h.status = StatusUnderInvestigation
				}
			}
			hits = append(hits, h)
			break
		}
	}
	hits = dedupe(hits, cleared)
	ids := make(map[*Advisory]string, len(hits))
	for _, h := range hits {
		ids[h.adv] = (&Finding{Advisory: h.adv}).ID()
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return strings.Compare(ids[a.adv], ids[b.adv]) })
	return hits
}

func sameName(ecosystem, a, b string) bool {
	return a == b || NormalizeName(ecosystem, a) == NormalizeName(ecosystem, b)
}

// affects evaluates one Affected entry: its versions list, then its ranges.
func (m *Matcher) affects(af *Affected, k pkgKey, installed, semverInstalled version.Version) (bool, string) {
	listed := false
	for _, v := range af.Versions {
		if v == k.version || (k.ecosystem == Go && strings.TrimPrefix(v, "v") == k.version) {
			listed = true
			break
		}
	}
	var fixed string
	inRange := false
	for j := range af.Ranges {
		r := &af.Ranges[j]
		v := installed
		if r.Type == "SEMVER" {
			v = semverInstalled
		}
		if v == nil {
			continue
		}
		pr := m.parsedRange(r, af.Ecosystem)
		if pr == nil {
			continue
		}
		if ok, f := pr.Affected(v); ok {
			if !inRange || (f != "" && fixed == "") {
				fixed = f
			}
			inRange = true
		}
	}
	return listed || inRange, fixed
}

func (m *Matcher) parsedRange(r *Range, ecosystem string) *version.Range {
	if v, ok := m.ranges.Load(r); ok {
		pr, _ := v.(*version.Range)
		return pr
	}
	var pr *version.Range
	if s := version.ForRange(ecosystem, r.Type); s != nil {
		pr, _ = version.ParseRange(s, r.Events)
	}
	m.ranges.Store(r, pr)
	return pr
}

// debianStatus refines the tracker's status with its urgency and no-dsa
// markers: what the Debian security team will do about it.
func debianStatus(e *DebianEntry) DebianStatus {
	switch {
	case e.Status == "resolved":
		return DebianResolved
	case e.Status == "undetermined":
		return DebianUndetermined
	case e.Urgency == "unimportant":
		return DebianUnimportant
	case e.Urgency == "end-of-life":
		return DebianEndOfLife
	case e.NoDSAReason == "postponed":
		return DebianPostponed
	case e.NoDSAReason == "ignored":
		return DebianIgnored
	case e.NoDSA != "":
		return DebianNoDSA
	}
	return DebianOpen
}

// dedupe keeps one hit per vulnerability: tracker hits first, then the
// others in id order, dropping any whose id or aliases were already kept or
// cleared by the tracker.
func dedupe(hits []hit, cleared map[string]bool) []hit {
	slices.SortStableFunc(hits, func(a, b hit) int {
		at, bt := a.adv.Source == SourceDebianTracker, b.adv.Source == SourceDebianTracker
		if at != bt {
			if at {
				return -1
			}
			return 1
		}
		return strings.Compare(a.adv.ID, b.adv.ID)
	})
	seen := cleared
	out := hits[:0]
	for _, h := range hits {
		ids := append([]string{h.adv.ID}, h.adv.Aliases...)
		dup := false
		for _, id := range ids {
			if seen[id] {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		for _, id := range ids {
			seen[id] = true
		}
		out = append(out, h)
	}
	return slices.Clip(out)
}

// NormalizeName returns the form of a package name under which ecosystem
// compares names: PyPI names are lower-cased with runs of "-", "_" and "."
// made one "-" (PEP 503); other ecosystems compare names exactly.
func NormalizeName(ecosystem, name string) string {
	if ecosystem != PyPI {
		return name
	}
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}
