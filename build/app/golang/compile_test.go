package golang

import (
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestBuildEnv(t *testing.T) {
	t.Setenv("GOFLAGS", "-ldflags=-X=main.x=leak")
	t.Setenv("GOAMD64", "v3")
	t.Setenv("CGO_ENABLED", "1")
	t.Setenv("GOPROXY", "https://proxy.example.com")
	tests := []struct {
		desc string
		p    v1.Platform
		mod  module
		want []string
	}{
		{"amd64", v1.Platform{OS: "linux", Architecture: "amd64"}, module{goSum: true}, []string{"GOARCH=amd64", "GOAMD64=v1", "GOFLAGS=", "CGO_ENABLED=0"}},
		{"arm64", v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, module{}, []string{"GOARCH=arm64", "GOARM64=v8.0"}},
		{"arm/v6", v1.Platform{OS: "linux", Architecture: "arm", Variant: "v6"}, module{}, []string{"GOARM=6"}},
		{"no go.sum yet", v1.Platform{Architecture: "amd64"}, module{requires: true}, []string{"GOFLAGS=-mod=mod"}},
		{"vendored", v1.Platform{Architecture: "amd64"}, module{requires: true, vendor: true}, []string{"GOFLAGS="}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			env, err := buildEnv(tt.p, tt.mod)
			if err != nil {
				t.Fatal(err)
			}
			for _, kv := range tt.want {
				if !slices.Contains(env, kv) {
					t.Errorf("env lacks %s", kv)
				}
			}
			if !slices.Contains(env, "GOPROXY=https://proxy.example.com") {
				t.Error("the host's GOPROXY was dropped")
			}
			seen := map[string]bool{}
			for _, kv := range env {
				k, _, _ := strings.Cut(kv, "=")
				if seen[k] {
					t.Errorf("%s set twice", k)
				}
				seen[k] = true
				if kv == "GOAMD64=v3" || kv == "CGO_ENABLED=1" || strings.Contains(kv, "leak") {
					t.Errorf("host setting %s reached the go command", kv)
				}
			}
		})
	}
	if _, err := buildEnv(v1.Platform{OS: "windows", Architecture: "amd64"}, module{}); err == nil {
		t.Error("windows: no error")
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
	b := New()
	dir := t.TempDir()
	if ok, err := b.Detect(dir); ok || err != nil {
		t.Errorf("empty dir: %v, %v", ok, err)
	}
	write(t, dir, "go.mod/x", "")
	if ok, err := b.Detect(dir); ok || err != nil {
		t.Errorf("go.mod directory: %v, %v", ok, err)
	}
	dir = t.TempDir()
	write(t, dir, "go.mod", "module x\n")
	if ok, err := b.Detect(dir); !ok || err != nil {
		t.Errorf("go.mod: %v, %v", ok, err)
	}
}
