package maintscript

import (
	"archive/tar"
	"strings"
	"testing"
)

func TestOSRelease(t *testing.T) {
	tests := []struct {
		desc     string
		files    []string
		os       OSRelease
		wantBody string // "" when nothing must be written
		wantErr  string
	}{
		{
			desc:  "defaults to Debian 12 when no package ships it",
			files: []string{"usr/bin/app"},
			wantBody: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n" +
				"VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n",
		},
		{
			desc:  "given values, quoted",
			files: []string{},
			os:    OSRelease{ID: "debian", VersionID: "13", VersionCodename: "trixie", PrettyName: `My "Debian" $x`, HomeURL: "https://example.org/"},
			wantBody: "PRETTY_NAME=\"My \\\"Debian\\\" \\$x\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\n" +
				"VERSION=\"13 (trixie)\"\nVERSION_CODENAME=trixie\nID=debian\nHOME_URL=\"https://example.org/\"\n",
		},
		{desc: "base-files ships it", files: []string{"usr/lib/os-release"}},
		{desc: "only the etc copy exists", files: []string{"etc/os-release"}},
		{desc: "line breaks are refused", os: OSRelease{PrettyName: "a\nB=c"}, wantErr: "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			root := memRoot{files: map[string][]byte{}}
			for _, f := range tt.files {
				root.files[f] = []byte("x")
			}
			in := root.input("amd64")
			in.OSRelease = tt.os
			entries, err := Generate(in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := entryMap(entries)
			f, okf := m["usr/lib/os-release"]
			l, okl := m["etc/os-release"]
			if tt.wantBody == "" {
				if okf || okl {
					t.Errorf("os-release written though a package ships it")
				}
				return
			}
			if !okf || string(f.Body) != tt.wantBody || f.Mode != 0o644 {
				t.Errorf("usr/lib/os-release:\n%s\nwant\n%s", f.Body, tt.wantBody)
			}
			if !okl || l.Type != tar.TypeSymlink || l.Linkname != "../usr/lib/os-release" {
				t.Errorf("etc/os-release = %+v, want symlink to ../usr/lib/os-release", l)
			}
			// A static image has no usr/lib: its directory entries are made.
			if e, ok := m["usr/lib"]; !ok || e.Type != tar.TypeDir || e.Mode != 0o755 {
				t.Errorf("usr/lib directory entry missing: %+v", e)
			}
		})
	}
}
