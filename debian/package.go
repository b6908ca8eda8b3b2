package debian

import (
	"fmt"
	"strconv"
	"strings"
)

// Package is one binary package as an archive index (Packages) or the dpkg
// status file describes it.
type Package struct {
	Name          string
	Version       Version
	Architecture  string // "amd64", "arm64", "all"
	MultiArch     string // "", "same", "foreign", "allowed"
	Source        string // source package name (defaults to Name)
	SourceVersion Version
	Essential     bool
	Priority      string
	Section       string
	InstalledSize int64 // KiB, as in Installed-Size

	Depends    []Relation
	PreDepends []Relation
	Recommends []Relation
	Suggests   []Relation
	Conflicts  []Relation
	Breaks     []Relation
	Provides   []Relation
	Replaces   []Relation

	Filename string // pool path relative to the mirror root
	Size     int64
	SHA256   string

	// Where the record came from; set by the repository client.
	Suite     string
	Component string

	// Paragraph is the original record, kept for writing the dpkg status file.
	Paragraph Paragraph
}

// ID is name:arch, unique within one resolved set.
func (p *Package) ID() string { return p.Name + ":" + p.Architecture }

// String is name=version (arch).
func (p *Package) String() string {
	return fmt.Sprintf("%s=%s (%s)", p.Name, p.Version, p.Architecture)
}

// PackageFromParagraph converts a Packages or status stanza into a Package.
func PackageFromParagraph(para Paragraph) (*Package, error) {
	pp := PackageParser{single: true}
	return pp.Parse(para)
}

// PackageParser converts the stanzas of one index into Packages with the
// same result as PackageFromParagraph, but faster: each field is found in
// one pass over the stanza (not one search per field), and Packages are
// allocated in blocks. It is for reading a whole Packages index; the zero
// value is ready to use. Not safe for concurrent use.
//
// (A memo of parsed relations was measured on Debian's main index: 70 % of
// its 395k relations repeat, but the map costs more than parsing them.)
type PackageParser struct {
	slab   []Package
	single bool // one stanza: no slab
}

// The fields PackageFromParagraph reads, as indexes into packageFields.
const (
	fPackage = iota
	fVersion
	fArchitecture
	fMultiArch
	fEssential
	fPriority
	fSection
	fFilename
	fSHA256
	fSize
	fInstalledSize
	fSource
	fDepends
	fPreDepends
	fRecommends
	fSuggests
	fConflicts
	fBreaks
	fProvides
	fReplaces
	nPackageFields
)

// fieldIndex maps a field name, in any case, to its packageFields index or -1.
func fieldIndex(name string) int {
	var cands []int
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			// Unicode case folding can change the length ("\u212a" folds to "k").
			for j, f := range packageFields {
				if strings.EqualFold(name, f) {
					return j
				}
			}
			return -1
		}
	}
	switch len(name) {
	case 4:
		cands = []int{fSize}
	case 6:
		cands = []int{fSHA256, fSource, fBreaks}
	case 7:
		cands = []int{fPackage, fVersion, fSection, fDepends}
	case 8:
		cands = []int{fPriority, fFilename, fSuggests, fProvides, fReplaces}
	case 9:
		cands = []int{fEssential, fConflicts}
	case 10:
		cands = []int{fMultiArch, fRecommends}
	case 11:
		cands = []int{fPreDepends}
	case 12:
		cands = []int{fArchitecture}
	case 14:
		cands = []int{fInstalledSize}
	default:
		return -1
	}
	for _, i := range cands {
		if strings.EqualFold(name, packageFields[i]) {
			return i
		}
	}
	return -1
}

var packageFields = [nPackageFields]string{
	fPackage: "Package", fVersion: "Version", fArchitecture: "Architecture",
	fMultiArch: "Multi-Arch", fEssential: "Essential", fPriority: "Priority",
	fSection: "Section", fFilename: "Filename", fSHA256: "SHA256", fSize: "Size",
	fInstalledSize: "Installed-Size", fSource: "Source",
	fDepends: "Depends", fPreDepends: "Pre-Depends", fRecommends: "Recommends",
	fSuggests: "Suggests", fConflicts: "Conflicts", fBreaks: "Breaks",
	fProvides: "Provides", fReplaces: "Replaces",
}

// Parse converts a Packages or status stanza into a Package, exactly as
// PackageFromParagraph does.
func (pp *PackageParser) Parse(para Paragraph) (*Package, error) {
	// Like Paragraph.Get, the first field of a name wins.
	var vals [nPackageFields]string
	var seen [nPackageFields]bool
	for _, f := range para.Fields {
		if i := fieldIndex(f.Name); i >= 0 && !seen[i] {
			vals[i], seen[i] = f.Value, true
		}
	}
	var p *Package
	if pp.single {
		p = new(Package)
	} else {
		if len(pp.slab) == 0 {
			pp.slab = make([]Package, 64)
		}
		p, pp.slab = &pp.slab[0], pp.slab[1:]
	}
	p.Paragraph = para
	p.Name = vals[fPackage]
	if p.Name == "" {
		return nil, fmt.Errorf("package record without a Package field")
	}
	v, err := ParseVersion(vals[fVersion])
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", p.Name, err)
	}
	p.Version = v
	p.Architecture = vals[fArchitecture]
	p.MultiArch = strings.ToLower(vals[fMultiArch])
	p.Essential = strings.EqualFold(vals[fEssential], "yes")
	p.Priority = vals[fPriority]
	p.Section = vals[fSection]
	p.Filename = vals[fFilename]
	p.SHA256 = strings.ToLower(vals[fSHA256])
	if s := vals[fSize]; s != "" {
		if p.Size, err = strconv.ParseInt(s, 10, 64); err != nil || p.Size < 0 {
			return nil, fmt.Errorf("package %s: bad Size %q", p.Name, s)
		}
	}
	if s := vals[fInstalledSize]; s != "" {
		p.InstalledSize, _ = strconv.ParseInt(s, 10, 64)
	}
	// Source: "name" or "name (version)"; both default to the binary's.
	p.Source, p.SourceVersion = p.Name, p.Version
	if src := vals[fSource]; src != "" {
		name, ver, hasVer := strings.Cut(src, "(")
		p.Source = strings.TrimSpace(name)
		if hasVer {
			sv, err := ParseVersion(strings.TrimSuffix(strings.TrimSpace(ver), ")"))
			if err != nil {
				return nil, fmt.Errorf("package %s: Source %q: %w", p.Name, src, err)
			}
			p.SourceVersion = sv
		}
	}
	for _, f := range []struct {
		field int
		dst   *[]Relation
	}{
		{fDepends, &p.Depends}, {fPreDepends, &p.PreDepends},
		{fRecommends, &p.Recommends}, {fSuggests, &p.Suggests},
		{fConflicts, &p.Conflicts}, {fBreaks, &p.Breaks},
		{fProvides, &p.Provides}, {fReplaces, &p.Replaces},
	} {
		if s := vals[f.field]; s != "" {
			rels, err := ParseRelations(s)
			if err != nil {
				return nil, fmt.Errorf("package %s: %s: %w", p.Name, packageFields[f.field], err)
			}
			*f.dst = rels
		}
	}
	return p, nil
}
