package maintscript

import (
	"archive/tar"
	"encoding/asn1"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// caRoot is a root with ca-certificates and a few test certificates: two
// distinct roots, a copy of one (a duplicate for rehash), a second
// certificate with the same subject (a hash collision) and a local one.
func caRoot(t *testing.T) (memRoot, []Installed) {
	name := func(cn string) []byte {
		return rawName(t, []ava{{oidC, asn1.TagPrintableString, []byte("DE")}}, []ava{{oidCN, asn1.TagUTF8String, []byte(cn)}})
	}
	a := selfSigned(t, name("Test Root A"), 1)
	b := selfSigned(t, name("Test Root (B), Inc"), 2)
	a2 := selfSigned(t, name("Test Root A"), 3)
	local := selfSigned(t, name("Local"), 4)
	root := memRoot{files: map[string][]byte{
		"usr/share/ca-certificates/mozilla/Test_Root_A.crt":        a,
		"usr/share/ca-certificates/mozilla/Test Root (B), Inc.crt": []byte(strings.TrimSuffix(string(b), "\n")),
		"usr/share/ca-certificates/mozilla/Test_Root_A_copy.crt":   a,
		"usr/share/ca-certificates/other/Zeta_Same_Subject.crt":    a2,
		"usr/share/ca-certificates/mozilla/README":                 []byte("not a certificate"),
		"usr/local/share/ca-certificates/Local.crt":                local,
		"usr/sbin/update-ca-certificates":                          []byte("#!/bin/sh\n"),
	}, dirs: []string{"etc/ssl/certs"}}
	ca := installedFrom(t, control("ca-certificates", "20230311"), nil, "/.")
	return root, []Installed{ca}
}

func TestCACertificates(t *testing.T) {
	root, pkgs := caRoot(t)
	entries, err := Generate(root.input("amd64", pkgs...))
	if err != nil {
		t.Fatal(err)
	}
	m := entryMap(entries)

	order := []string{"mozilla/Test Root (B), Inc.crt", "mozilla/Test_Root_A.crt", "mozilla/Test_Root_A_copy.crt", "other/Zeta_Same_Subject.crt"}
	conf := string(mustEntry(t, m, "etc/ca-certificates.conf").Body)
	if want := caConfHeader + strings.Join(order, "\n") + "\n"; conf != want {
		t.Errorf("ca-certificates.conf:\n%s\nwant\n%s", conf, want)
	}

	var want strings.Builder
	for _, p := range order {
		b := root.files["usr/share/ca-certificates/"+p]
		want.Write(b)
		if !strings.HasSuffix(string(b), "\n") {
			want.WriteString("\n")
		}
	}
	want.Write(root.files["usr/local/share/ca-certificates/Local.crt"])
	bundle := mustEntry(t, m, "etc/ssl/certs/ca-certificates.crt")
	if string(bundle.Body) != want.String() || bundle.Mode != 0o644 {
		t.Errorf("bundle (mode %o) differs from the concatenation in conf order", bundle.Mode)
	}
	if n := strings.Count(string(bundle.Body), "-----BEGIN CERTIFICATE-----"); n != 5 {
		t.Errorf("bundle holds %d certificates, want 5", n)
	}

	for link, target := range map[string]string{
		"Test_Root_=B=__Inc.pem": "/usr/share/ca-certificates/mozilla/Test Root (B), Inc.crt",
		"Test_Root_A.pem":        "/usr/share/ca-certificates/mozilla/Test_Root_A.crt",
		"Test_Root_A_copy.pem":   "/usr/share/ca-certificates/mozilla/Test_Root_A_copy.crt",
		"Zeta_Same_Subject.pem":  "/usr/share/ca-certificates/other/Zeta_Same_Subject.crt",
		"Local.pem":              "/usr/local/share/ca-certificates/Local.crt",
	} {
		e := mustEntry(t, m, "etc/ssl/certs/"+link)
		if e.Type != tar.TypeSymlink || e.Linkname != target {
			t.Errorf("%s -> %q, want -> %q", link, e.Linkname, target)
		}
	}
	if _, ok := m["etc/ssl/certs/README.pem"]; ok {
		t.Error("a non-.crt file was linked")
	}
}

// TestCARehashOpenSSL compares the hash links with what openssl rehash makes
// from the same files.
func TestCARehashOpenSSL(t *testing.T) {
	testenv.RequireTool(t, "openssl")
	root, pkgs := caRoot(t)
	entries, err := Generate(root.input("amd64", pkgs...))
	if err != nil {
		t.Fatal(err)
	}
	got := hashLinks(entries)
	if len(got) != 4 {
		t.Errorf("want 4 hash links (5 files, one duplicate), got %v", got)
	}

	dir := t.TempDir()
	for _, e := range entries {
		if e.Type == tar.TypeSymlink && strings.HasSuffix(e.Path, ".pem") {
			body, ok := root.ReadFile(strings.TrimPrefix(e.Linkname, "/"))
			if !ok {
				t.Fatalf("%s points at missing %s", e.Path, e.Linkname)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(e.Path)), body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if out, err := exec.Command("openssl", "rehash", dir).CombinedOutput(); err != nil {
		t.Fatalf("openssl rehash: %v\n%s", err, out)
	}
	want := map[string]string{}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil {
			want[e.Name()] = target
		}
	}
	if !equalMaps(got, want) {
		t.Errorf("hash links:\n got %v\nwant %v (openssl rehash)", got, want)
	}
}

func hashLinks(entries []layer.Entry) map[string]string {
	out := map[string]string{}
	for _, e := range entries {
		base := filepath.Base(e.Path)
		if e.Type == tar.TypeSymlink && strings.HasPrefix(e.Path, "etc/ssl/certs/") && len(base) == 10 && base[8] == '.' {
			out[base] = e.Linkname
		}
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCANotInstalled(t *testing.T) {
	root, _ := caRoot(t)
	entries, err := Generate(root.input("amd64", installedFrom(t, control("libc6", "1"), nil, "/.")))
	if err != nil {
		t.Fatal(err)
	}
	var certs []string
	for _, e := range entries {
		if strings.HasPrefix(e.Path, "etc/ssl") || e.Path == "etc/ca-certificates.conf" {
			certs = append(certs, e.Path)
		}
	}
	sort.Strings(certs)
	if len(certs) != 0 {
		t.Errorf("entries without ca-certificates installed: %v", certs)
	}
}
