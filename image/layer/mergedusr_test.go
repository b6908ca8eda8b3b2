package layer

import (
	"archive/tar"
	"slices"
	"testing"
)

func TestMergedUsrLinks(t *testing.T) {
	tests := []struct {
		arch  string
		links []string
	}{
		{"amd64", []string{"bin", "sbin", "lib", "lib32", "lib64", "libx32"}},
		{"arm64", []string{"bin", "sbin", "lib"}},
		{"armhf", []string{"bin", "sbin", "lib"}},
		{"i386", []string{"bin", "sbin", "lib", "lib64", "libx32"}},
		{"ppc64el", []string{"bin", "sbin", "lib", "lib64"}},
		{"s390x", []string{"bin", "sbin", "lib", "lib32"}},
		{"mips64el", []string{"bin", "sbin", "lib", "lib32", "lib64", "libo32"}},
	}
	for _, tc := range tests {
		t.Run(tc.arch, func(t *testing.T) {
			var links, dirs []string
			for _, e := range MergedUsrLinks(tc.arch) {
				switch e.Type {
				case tar.TypeSymlink:
					if e.Linkname != "usr/"+e.Path {
						t.Errorf("%s -> %s, want usr/%s", e.Path, e.Linkname, e.Path)
					}
					links = append(links, e.Path)
				case tar.TypeDir:
					dirs = append(dirs, e.Path)
				}
			}
			if !slices.Equal(links, tc.links) {
				t.Errorf("links %q, want %q", links, tc.links)
			}
			if len(dirs) != len(links) {
				t.Errorf("dirs %q do not match links %q", dirs, links)
			}
		})
	}
}

func TestMergedPath(t *testing.T) {
	tests := map[string]string{
		"bin/sh": "usr/bin/sh", "lib": "usr/lib", "lib64/ld.so": "usr/lib64/ld.so", "libo32/x": "usr/libo32/x",
		"usr/bin/sh": "usr/bin/sh", "binary": "binary", "etc/lib/x": "etc/lib/x", "library/x": "library/x",
	}
	for in, want := range tests {
		if got := MergedPath(in); got != want {
			t.Errorf("MergedPath(%q) = %q, want %q", in, got, want)
		}
	}
}
