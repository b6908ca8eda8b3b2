package sbom

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestParsePythonMetadata(t *testing.T) {
	tests := []struct {
		desc, in        string
		name, ver, purl string
		lic             []string
	}{
		{"license expression wins", "Name: Foo_Bar\nVersion: 1.0\nLicense: BSD\nLicense-Expression: MIT OR Apache-2.0\n",
			"Foo_Bar", "1.0", "pkg:pypi/foo-bar@1.0", []string{"MIT OR Apache-2.0"}},
		{"licence text is not a licence name", "Name: x\nVersion: 2\nLicense: Copyright (c) someone\n        Permission is hereby granted\n",
			"x", "2", "pkg:pypi/x@2", nil},
		{"body is not read", "Name: x\nVersion: 2\n\nLicense: MIT\n", "x", "2", "pkg:pypi/x@2", nil},
		{"UNKNOWN", "Name: x\nVersion: 2\nLicense: UNKNOWN\n", "x", "2", "pkg:pypi/x@2", nil},
		{"no version", "Name: x\n", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p, ok, err := parsePythonMetadata(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				if tt.name != "" {
					t.Fatal("no package found")
				}
				return
			}
			if p.Name != tt.name || p.Version != tt.ver || p.PURL != tt.purl || !slices.Equal(p.Licenses, tt.lic) {
				t.Errorf("got %s %s %s %q", p.Name, p.Version, p.PURL, p.Licenses)
			}
		})
	}
}

func TestPythonWants(t *testing.T) {
	for name, want := range map[string]bool{
		"usr/lib/python3/dist-packages/a-1.dist-info/METADATA": true,
		"usr/lib/python3/dist-packages/a-1.egg-info/PKG-INFO":  true,
		"usr/lib/python3/dist-packages/a-1.egg-info":           true,
		"usr/lib/python3/dist-packages/a-1.dist-info/RECORD":   false,
		"usr/lib/python3/dist-packages/METADATA":               false,
	} {
		if got := (pythonScanner{}).wants(name, nil); got != want {
			t.Errorf("%s: wants = %v, want %v", name, got, want)
		}
	}
}

func FuzzParsePythonMetadata(f *testing.F) {
	f.Add([]byte("Name: x\nVersion: 1\nLicense: MIT\n"))
	f.Add([]byte("Name: x\nVersion: 1\nLicense-Expression: (MIT OR BSD-3-Clause) AND Apache-2.0\n continued\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok, _ := parsePythonMetadata(bytes.NewReader(b))
		if ok && (p.Name == "" || p.Version == "" || strings.Contains(p.Name+p.Version, "\n")) {
			t.Fatalf("bad package %+v", p)
		}
	})
}
