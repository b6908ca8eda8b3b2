package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVEXCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vex.db")
	image := "registry.example.com/web@sha256:" + strings.Repeat("ab", 32)
	sets := [][]string{
		{"CVE-2024-5535", "--image", image, "--status", "not_affected", "--justification", "vulnerable_code_not_in_execute_path", "--note", "NPN unused"},
		{"CVE-2023-39325", "--repo", "registry.example.com/api", "--status", "affected", "--note", "update x/net"},
		{"GO-2023-2102", "--purl", "pkg:golang/golang.org/x/net", "--status", "under_investigation"},
	}
	for _, s := range sets {
		args := append([]string{"vex", "set", "--vex-db", db, "--author", "alice <alice@example.com>", "--time", "2026-11-20T10:00:00Z"}, s...)
		if out, err := runIngot(t, args...); err != nil || !strings.Contains(out, "recorded: "+s[0]) {
			t.Fatalf("vex set %s: %v\n%s", s[0], err, out)
		}
	}
	out, err := runIngot(t, "vex", "ls", "--vex-db", db)
	if err != nil || !strings.Contains(out, "purl pkg:golang/golang.org/x/net") || !strings.Contains(out, "update x/net") {
		t.Errorf("vex ls: %v\n%s", err, out)
	}
	first := filepath.Join(dir, "first.json")
	if _, err := runIngot(t, "vex", "export", "--vex-db", db, "--out", first); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(dir, "vex2.db")
	if out, err := runIngot(t, "vex", "import", "--vex-db", db2, first); err != nil || !strings.Contains(out, "recorded 3 decisions") {
		t.Fatalf("vex import: %v\n%s", err, out)
	}
	second, err := runIngot(t, "vex", "export", "--vex-db", db2)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(first)
	if !bytes.Equal(b, []byte(second)) {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", b, second)
	}

	bad := []struct {
		desc string
		args []string
		want string
	}{
		{"not_affected without justification", []string{"CVE-1", "--repo", "r", "--status", "not_affected"}, "justification or an impact statement"},
		{"image without digest", []string{"CVE-1", "--image", "registry.example.com/web:1", "--status", "fixed"}, "does not name a digest"},
		{"no scope", []string{"CVE-1", "--status", "fixed"}, "no scope"},
		{"unknown status", []string{"CVE-1", "--repo", "r", "--status", "wontfix"}, "is not one of"},
	}
	for _, tc := range bad {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := runIngot(t, append([]string{"vex", "set", "--vex-db", db}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, bytes.Replace(b, []byte(`"justification": "vulnerable_code_not_in_execute_path"`), []byte(`"justification": "because"`), 1), 0o644)
	if _, err := runIngot(t, "vex", "import", "--vex-db", db2, broken); err == nil || !strings.Contains(err.Error(), "(CVE-2024-5535): invalid VEX decision") {
		t.Errorf("importing an invalid statement: %v", err)
	}
}
