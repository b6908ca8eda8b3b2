package golang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseGoMod(t *testing.T) {
	tests := []struct {
		desc, in string
		want     module
		err      string
	}{
		{"plain", "module example.com/web\n\ngo 1.22\n", module{path: "example.com/web"}, ""},
		{"requires", "module example.com/web // the app\ngo 1.22\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n", module{path: "example.com/web", requires: true}, ""},
		{"quoted", "module \"example.com/q\"\n", module{path: "example.com/q"}, ""},
		{"no module", "go 1.22\n", module{}, "no module directive"},
		{"two modules", "module a\nmodule b\n", module{}, "two module"},
		{"malformed", "module a b\n", module{}, "malformed module directive"},
		{"bad quote", "module \"a\n", module{}, "malformed module path"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := parseGoMod([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func FuzzParseGoMod(f *testing.F) {
	f.Add([]byte("module example.com/web\n\ngo 1.22\nrequire x v1\n"))
	f.Add([]byte("module \"a\"\n"))
	f.Add([]byte("// module x\nmodule\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseGoMod(data)
		if err == nil && (m.path == "" || strings.ContainsAny(m.path, " \t")) {
			t.Fatalf("accepted module path %q", m.path)
		}
	})
}

func TestReadModule(t *testing.T) {
	dir := t.TempDir()
	if _, err := readModule(dir); err == nil {
		t.Fatal("no go.mod: no error")
	}
	write(t, dir, "go.mod", "module example.com/m\nrequire x v1.0.0\n")
	m, err := readModule(dir)
	if err != nil || m.goSum || m.vendor || !m.requires {
		t.Fatalf("got %+v, %v", m, err)
	}
	write(t, dir, "go.sum", "")
	write(t, dir, "vendor/modules.txt", "")
	if m, err = readModule(dir); err != nil || !m.goSum || !m.vendor {
		t.Fatalf("got %+v, %v", m, err)
	}
	write(t, dir, "go.mod", "module x\n"+strings.Repeat("// padding\n", maxGoMod/10))
	if _, err := readModule(dir); err == nil || !strings.Contains(err.Error(), "over") {
		t.Fatalf("oversized go.mod: %v", err)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
