package build

import (
	"maps"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

// pk builds a package from control-style fields: "name ver" then
// "Depends: ..." lines.
func pk(t *testing.T, nameVer string, fields ...string) *debian.Package {
	t.Helper()
	name, ver, _ := strings.Cut(nameVer, " ")
	para := debian.Paragraph{Fields: []debian.Field{{Name: "Package", Value: name}, {Name: "Version", Value: ver}, {Name: "Architecture", Value: "amd64"}}}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, ": ")
		para.Fields = append(para.Fields, debian.Field{Name: k, Value: v})
	}
	p, err := debian.PackageFromParagraph(para)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAssign(t *testing.T) {
	tests := []struct {
		desc     string
		requests [][]string
		pkgs     []string // "name ver; Field: value; Field: value"
		want     map[string]int
		wantErr  string
	}{{
		desc:     "requested packages stay in their layer, dependencies go to the lowest layer that pulls them",
		requests: [][]string{{"base-files", "libc6"}, {"libssl3", "ca-certificates"}},
		pkgs: []string{"base-files 1", "libc6 2; Depends: libgcc-s1", "libgcc-s1 1; Depends: libc6 (>= 2)",
			"libssl3 3; Depends: libc6 (>= 2.34)", "ca-certificates 1; Depends: openssl (>= 1.1.1)", "openssl 3; Depends: libssl3 (>= 3), libc6"},
		want: map[string]int{"base-files": 0, "libc6": 0, "libgcc-s1": 0, "libssl3": 1, "ca-certificates": 1, "openssl": 1},
	}, {
		desc:     "a package requested by a higher layer stays there even if a lower layer needs it",
		requests: [][]string{{"ca-certificates"}, {"libssl3"}},
		pkgs:     []string{"ca-certificates 1; Depends: openssl", "openssl 3; Depends: libssl3, zlib1g", "libssl3 3", "zlib1g 1"},
		want:     map[string]int{"ca-certificates": 0, "openssl": 0, "libssl3": 1, "zlib1g": 0},
	}, {
		desc:     "pre-depends, alternatives and provides resolved within the set",
		requests: [][]string{{"app"}, {"tool"}},
		pkgs: []string{"app 1; Pre-Depends: dpkg-missing | awk-impl", "mawk 1; Provides: awk-impl", "tool 1; Depends: libfoo (>= 2) | libfoo-alt",
			"libfoo 1", "libfoo-alt 1"},
		want: map[string]int{"app": 0, "mawk": 0, "tool": 1, "libfoo-alt": 1, "libfoo": 0},
	}, {
		desc:     "pinned and qualified requests",
		requests: [][]string{{"libc6=2", "python3:any"}},
		pkgs:     []string{"libc6 2", "python3 3; Depends: libc6:any"},
		want:     map[string]int{"libc6": 0, "python3": 0},
	}, {
		desc:     "a package nothing pulls in (the Essential set of the lock) goes to the first layer",
		requests: [][]string{{"libc6"}, {"hello"}},
		pkgs:     []string{"libc6 2", "hello 1; Depends: libc6", "dash 0.5; Essential: yes"},
		want:     map[string]int{"libc6": 0, "hello": 1, "dash": 0},
	}, {
		desc:     "a requested package missing from the lock",
		requests: [][]string{{"libc6"}, {"curl"}},
		pkgs:     []string{"libc6 2"},
		wantErr:  "layer 2 requests curl, which is not in the lock",
	}}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var pkgs []*debian.Package
			for _, s := range tt.pkgs {
				parts := strings.Split(s, "; ")
				pkgs = append(pkgs, pk(t, parts[0], parts[1:]...))
			}
			got, err := assign(tt.requests, pkgs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("assign = %v, want %v", got, tt.want)
			}
		})
	}
}
