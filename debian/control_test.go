package debian

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const packagesSample = `Package: libssl3
Source: openssl
Version: 3.0.15-1~deb12u1
Architecture: amd64
Multi-Arch: same
Depends: libc6 (>= 2.34)
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project's implementation.
 .
 It provides the libssl and libcrypto shared libraries.
Size: 2019124
SHA256: 5b8c1e4d7d5c4a4a0c26c8c4b0e3e4b7e5c9f0a1b2c3d4e5f60718293a4b5c6d

# a comment line is ignored
Package: openssl
Version: 3.0.15-1~deb12u1
Architecture: amd64
Depends: libc6 (>= 2.34),
 libssl3 (>= 3.0.9)
`

func TestParseControl(t *testing.T) {
	paras, err := ParseControl(strings.NewReader(packagesSample))
	if err != nil {
		t.Fatal(err)
	}
	if len(paras) != 2 {
		t.Fatalf("got %d paragraphs, want 2", len(paras))
	}
	if got := paras[0].Get("description"); !strings.HasPrefix(got, "Secure Sockets Layer toolkit - shared libraries\nThis package") || !strings.Contains(got, "\n.\n") {
		t.Errorf("multi-line Description = %q", got)
	}
	if got := paras[1].Get("Depends"); got != "libc6 (>= 2.34),\nlibssl3 (>= 3.0.9)" {
		t.Errorf("folded Depends = %q", got)
	}
	p, err := PackageFromParagraph(paras[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != "openssl" || p.SourceVersion.String() != "3.0.15-1~deb12u1" || p.Size != 2019124 || p.MultiArch != "same" {
		t.Errorf("package = %+v", p)
	}
	p2, err := PackageFromParagraph(paras[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Depends) != 2 || p2.Depends[1][0].Name != "libssl3" {
		t.Errorf("folded relations = %v", p2.Depends)
	}
}

func TestParseControlErrors(t *testing.T) {
	tests := []struct {
		desc, in string
		line     int
	}{
		{"continuation first", " oops\n", 1},
		{"no colon", "Package: a\nnot a field\n", 2},
		{"space in name", "Pack age: a\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := ParseControl(strings.NewReader(tt.in))
			if !errors.Is(err, ErrControlSyntax) {
				t.Fatalf("err = %v, want ErrControlSyntax", err)
			}
			if want := "line " + string(rune('0'+tt.line)); !strings.Contains(err.Error(), want) {
				t.Errorf("err %q does not name %s", err, want)
			}
		})
	}
}

func TestParagraphWriteToRoundTrip(t *testing.T) {
	paras, err := ParseControl(strings.NewReader(packagesSample))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, p := range paras {
		p.WriteTo(&buf)
		buf.WriteString("\n")
	}
	again, err := ParseControl(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(paras) {
		t.Fatalf("round trip gave %d paragraphs", len(again))
	}
	for i := range paras {
		for _, f := range paras[i].Fields {
			if got := again[i].Get(f.Name); got != f.Value {
				t.Errorf("field %s: %q != %q", f.Name, got, f.Value)
			}
		}
	}
}

func FuzzParseControl(f *testing.F) {
	f.Add(packagesSample)
	f.Add("A: b\n c\n\n\nD:\n")
	f.Add("Package: x\nVersion: 1:2-3\nDepends: a | b (>= 1) [amd64], c:any\n")
	f.Fuzz(func(t *testing.T, in string) {
		paras, err := ParseControl(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, p := range paras {
			if len(p.Fields) == 0 {
				t.Fatal("empty paragraph returned")
			}
			// Records that parse as packages must convert without panicking.
			_, _ = PackageFromParagraph(p)
			var buf bytes.Buffer
			p.WriteTo(&buf)
			again, err := ParseControl(&buf)
			if err != nil || len(again) != 1 {
				t.Fatalf("rewritten paragraph does not parse back: %v\n%s", err, buf.String())
			}
		}
	})
}
