package app

import (
	"errors"
	"strings"
	"testing"
)

func TestRegistryDetect(t *testing.T) {
	reg := Registry{&fake{name: "go"}, &fake{name: "node"}}
	tests := []struct {
		desc  string
		files map[string]string
		want  string
	}{
		{"first kind", map[string]string{"go.txt": ""}, "go"},
		{"second kind", map[string]string{"node.txt": ""}, "node"},
		{"both: detection order", map[string]string{"node.txt": "", "go.txt": ""}, "go"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			b, err := reg.Detect(writeTree(t, tt.files))
			if err != nil || b.Name() != tt.want {
				t.Fatalf("got %v, %v; want %s", b, err, tt.want)
			}
		})
	}
	t.Run("nothing", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"README": ""})
		_, err := reg.Detect(dir)
		var nae *NoAppError
		if !errors.As(err, &nae) || !errors.Is(err, ErrNoApp) {
			t.Fatalf("error %v, want a NoAppError", err)
		}
		msg := err.Error()
		for _, want := range []string{dir, "go.txt; node.txt", "--cmd"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q lacks %q", msg, want)
			}
		}
	})
	if reg.Lookup("node") == nil || reg.Lookup("php") != nil {
		t.Error("Lookup")
	}
}
