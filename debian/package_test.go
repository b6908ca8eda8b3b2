package debian

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// referencePackage is PackageFromParagraph as it was before PackageParser:
// a Get per field and ParseRelations per relation field. PackageParser must
// give exactly its results and errors.
func referencePackage(para Paragraph) (*Package, error) {
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

// checkSameAsReference parses every stanza of in with one PackageParser
// and with referencePackage and fails on any difference.
func checkSameAsReference(t *testing.T, in string) {
	t.Helper()
	paras, err := ParseControl(strings.NewReader(in))
	if err != nil {
		return
	}
	var pp PackageParser
	for i, para := range paras {
		want, wantErr := referencePackage(para)
		got, gotErr := pp.Parse(para)
		single, singleErr := PackageFromParagraph(para)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || fmt.Sprint(singleErr) != fmt.Sprint(wantErr) {
			t.Fatalf("stanza %d: error %v (PackageFromParagraph %v), want %v", i, gotErr, singleErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(single, want) {
			t.Fatalf("stanza %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
}

func TestPackageParserMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		desc, in string
	}{
		{"Debian sample", packagesSample},
		{"repeated relations across records",
			"Package: a\nVersion: 1\nDepends: libc6 (>= 2.36), b | c\n\nPackage: b\nVersion: 2\nDepends: libc6 (>= 2.36), b | c\nPre-Depends: libc6 (>= 2.36)\n"},
		{"field names in any case; the first of a name wins",
			"package: a\nVERSION: 1:2-3\nversion: 9\nmulti-arch: SAME\nessential: YES\nSHA256: ABCDEF\nsha256: 00\n"},
		{"a field name folding to another length",
			"Package: a\nVersion: 1\nDepends: x\nDepen\u212as: y\nPac\u212aage: z\n"},
		{"architecture lists",
			"Package: a\nVersion: 1\nDepends: x [amd64]\n\nPackage: b\nVersion: 1\nDepends: x [amd64]\n"},
		{"empty items and trailing commas", "Package: a\nVersion: 1\nDepends: ,x,, y ,\nProvides: ,\n"},
		{"Source with a version", "Package: a\nVersion: 1\nSource: s (2)\n"},
		{"bad Source version", "Package: a\nVersion: 1\nSource: s (!)\n"},
		{"bad Size", "Package: a\nVersion: 1\nSize: -1\n"},
		{"bad relation, then the same relation again",
			"Package: a\nVersion: 1\nBreaks: x (>= \n\nPackage: b\nVersion: 1\nBreaks: x (>= \n"},
		{"long bad relation", "Package: a\nVersion: 1\nConflicts: " + strings.Repeat("y", 100) + " (1)\n"},
		{"no Package", "Version: 1\n"},
		{"bad Version", "Package: a\nVersion: !!\n"},
	} {
		t.Run(tc.desc, func(t *testing.T) { checkSameAsReference(t, tc.in) })
	}
}

func FuzzPackageParser(f *testing.F) {
	f.Add(packagesSample)
	f.Add("Package: a\nVersion: 1\nDepends: x [amd64], y (>= 1) | z:any <!nocheck>\n\nPackage: b\nVersion: 1\nDepends: y (>= 1) | z:any <!nocheck>, x\n")
	f.Add("Package: a\nVersion: 1\nDepen\u212as: y\nSource: q (1)\nSize: 3\n")
	f.Fuzz(func(t *testing.T, in string) { checkSameAsReference(t, in) })
}

func BenchmarkPackageParser(b *testing.B) {
	paras, err := ParseControl(strings.NewReader(packagesSample))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("PackageFromParagraph", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paras {
				PackageFromParagraph(p)
			}
		}
	})
	b.Run("PackageParser", func(b *testing.B) {
		var pp PackageParser
		for b.Loop() {
			for _, p := range paras {
				pp.Parse(p)
			}
		}
	})
}
