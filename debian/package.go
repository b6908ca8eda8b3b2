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
	p := &Package{Paragraph: para}
	p.Name = para.Get("Package")
	if p.Name == "" {
		return nil, fmt.Errorf("package record without a Package field")
	}
	vs := para.Get("Version")
	v, err := ParseVersion(vs)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", p.Name, err)
	}
	p.Version = v
	p.Architecture = para.Get("Architecture")
	p.MultiArch = strings.ToLower(para.Get("Multi-Arch"))
	p.Essential = strings.EqualFold(para.Get("Essential"), "yes")
	p.Priority = para.Get("Priority")
	p.Section = para.Get("Section")
	p.Filename = para.Get("Filename")
	p.SHA256 = strings.ToLower(para.Get("SHA256"))
	if s := para.Get("Size"); s != "" {
		if p.Size, err = strconv.ParseInt(s, 10, 64); err != nil || p.Size < 0 {
			return nil, fmt.Errorf("package %s: bad Size %q", p.Name, s)
		}
	}
	if s := para.Get("Installed-Size"); s != "" {
		p.InstalledSize, _ = strconv.ParseInt(s, 10, 64)
	}
	// Source: "name" or "name (version)"; both default to the binary's.
	p.Source, p.SourceVersion = p.Name, p.Version
	if src := para.Get("Source"); src != "" {
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
		name string
		dst  *[]Relation
	}{
		{"Depends", &p.Depends}, {"Pre-Depends", &p.PreDepends},
		{"Recommends", &p.Recommends}, {"Suggests", &p.Suggests},
		{"Conflicts", &p.Conflicts}, {"Breaks", &p.Breaks},
		{"Provides", &p.Provides}, {"Replaces", &p.Replaces},
	} {
		if s := para.Get(f.name); s != "" {
			rels, err := ParseRelations(s)
			if err != nil {
				return nil, fmt.Errorf("package %s: %s: %w", p.Name, f.name, err)
			}
			*f.dst = rels
		}
	}
	return p, nil
}
