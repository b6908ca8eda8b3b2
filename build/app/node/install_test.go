package node

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNativeModules(t *testing.T) {
	dir := t.TempDir()
	modules := filepath.Join(dir, "node_modules")
	for name, body := range map[string]string{
		"pure/package.json":                     `{"name":"pure"}`,
		"pure/test/fixture/binding.gyp":         `{}`, // not at a package root
		"gyp/package.json":                      `{"name":"gyp"}`,
		"gyp/binding.gyp":                       `{}`,
		"@scope/flag/package.json":              `{"name":"@scope/flag","gypfile":true}`,
		"outer/node_modules/inner/binding.gyp":  `{}`,
		"outer/node_modules/inner/package.json": `{"name":"inner"}`,
		"outer/package.json":                    `{"name":"outer"}`,
		"broken/package.json":                   `{`,
	} {
		p := filepath.Join(modules, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := nativeModules(modules)
	want := []string{"node_modules/@scope/flag", "node_modules/gyp", "node_modules/outer/node_modules/inner"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("nativeModules = %q, %v; want %q", got, err, want)
	}
}

func TestErrors(t *testing.T) {
	ne := &NativeModuleError{Dir: "/src/app", Packages: []string{"node_modules/bcrypt"}}
	for _, want := range []string{"node_modules/bcrypt", "--allow-install-scripts", "arbitrary code"} {
		if !strings.Contains(ne.Error(), want) {
			t.Errorf("%q lacks %q", ne.Error(), want)
		}
	}
	nn := &NoNodeError{Base: "oci:out/base", Path: "/usr/bin/node"}
	for _, want := range []string{"oci:out/base", "/usr/bin/node", "examples/nodejs"} {
		if !strings.Contains(nn.Error(), want) {
			t.Errorf("%q lacks %q", nn.Error(), want)
		}
	}
}

func TestTailBuffer(t *testing.T) {
	var b tailBuffer
	b.Write([]byte(strings.Repeat("a", maxOutput)))
	b.Write([]byte("end"))
	if s := b.String(); len(s) != maxOutput || !strings.HasSuffix(s, "end") {
		t.Errorf("kept %d bytes ending %q", len(s), s[len(s)-3:])
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		desc  string
		files []string
		want  bool
	}{
		{"package.json and lock", []string{"package.json", "package-lock.json"}, true},
		{"no lock", []string{"package.json"}, false},
		{"only a lock", []string{"package-lock.json"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o644)
			}
			if got, err := New().Detect(dir); err != nil || got != tt.want {
				t.Errorf("Detect = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
