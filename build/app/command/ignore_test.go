package command

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseIgnore(t *testing.T) {
	tests := []struct {
		desc, in string
		want     []string
		err      string
	}{
		{"patterns", "# comment\n\nnode_modules\n*.log\n/dist/\n./tmp\n**/*.map\n  spaced  \n", []string{"node_modules", "*.log", "dist", "tmp", "*.map", "spaced"}, ""},
		{"dot and root dropped", ".\n/\n", nil, ""},
		{"exceptions refused", "*.md\n!README.md\n", nil, "line 2: exceptions"},
		{"bad pattern", "[a\n", nil, "line 1: bad pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := ParseIgnore([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want an error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestIgnore(t *testing.T) {
	dir := t.TempDir()
	if got, err := Ignore(dir); err != nil || len(got) != 0 {
		t.Fatalf("no ignore files: %q, %v", got, err)
	}
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("a\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".ingotignore"), []byte("b\n"), 0o644)
	if got, err := Ignore(dir); err != nil || !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("both files: %q, %v; want [a b]", got, err)
	}
	os.WriteFile(filepath.Join(dir, ".ingotignore"), []byte("!b\n"), 0o644)
	if _, err := Ignore(dir); err == nil || !strings.Contains(err.Error(), ".ingotignore") {
		t.Errorf("error %v, want one naming .ingotignore", err)
	}
}

func FuzzParseIgnore(f *testing.F) {
	for _, s := range []string{"a\n#b\n/c/\n", "!x", "[", "**/**/x", "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pats, err := ParseIgnore(b)
		if err != nil {
			return
		}
		for _, p := range pats {
			if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
				t.Fatalf("pattern %q", p)
			}
		}
	})
}
