package sbom

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestNpmWants(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"app/package-lock.json", true},
		{"package-lock.json", true},
		{"app/node_modules/x/package-lock.json", false},
		{"app/node_modules/.package-lock.json", false},
		{"app/node_modules/x/package.json", true},
		{"node_modules/x/package.json", true},
		{"app/node_modules/@s/x/package.json", true},
		{"app/node_modules/x/node_modules/y/package.json", true},
		{"app/node_modules/x/lib/package.json", false},
		{"app/node_modules/@s/package.json", false},
		{"app/package.json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (npmScanner{}).wants(tt.name, nil); got != tt.want {
				t.Errorf("wants = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParsePackageLock(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want []string
	}{
		{"v1 nested, dev skipped", `{"lockfileVersion": 1, "dependencies": {
			"a": {"version": "1.0.0", "requires": {"b": "^2"}, "dependencies": {"b": {"version": "2.0.0"}}},
			"b": {"version": "3.0.0"},
			"t": {"version": "1.0.0", "dev": true}}}`,
			[]string{"a@1.0.0", "b@2.0.0", "b@3.0.0"}},
		{"v2 uses packages", `{"lockfileVersion": 2, "packages": {"": {"name": "root", "version": "1.0.0"},
			"node_modules/@s/a": {"version": "1.0.0"}, "node_modules/x/node_modules/y": {"version": "0.1.0"}},
			"dependencies": {"ignored": {"version": "9.9.9"}}}`,
			[]string{"@s/a@1.0.0", "y@0.1.0"}},
		{"v3 alias name", `{"lockfileVersion": 3, "packages": {"node_modules/alias": {"name": "real", "version": "1.0.0"}}}`,
			[]string{"real@1.0.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			pkgs, err := parsePackageLock(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pkgs {
				got = append(got, p.Name+"@"+p.Version)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParsePackageLock(f *testing.F) {
	f.Add([]byte(`{"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": {"b": {"version": "2"}}}}}`))
	f.Add([]byte(`{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1", "license": {"type": "MIT"}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, _ := parsePackageLock(bytes.NewReader(b))
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" {
				t.Fatalf("empty package %+v", p)
			}
		}
	})
}

func FuzzParsePackageJSON(f *testing.F) {
	f.Add([]byte(`{"name": "a", "version": "1.0.0", "license": "MIT OR Apache-2.0"}`))
	f.Add([]byte(`{"name": "a", "version": "1.0.0", "licenses": [{"type": "BSD"}, "x"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok, _ := parsePackageJSON(bytes.NewReader(b))
		if ok && (p.Name == "" || p.Version == "" || p.PURL == "") {
			t.Fatalf("incomplete package %+v", p)
		}
	})
}
