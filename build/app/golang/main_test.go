package golang

import (
	"strings"
	"testing"
)

func TestSelectMain(t *testing.T) {
	mod := module{path: "example.com/m"}
	tests := []struct {
		desc  string
		files map[string]string
		want  string // the selected package, or
		err   string // a part of the error
		main  string
	}{
		{"root is main", map[string]string{"main.go": "package main", "cmd/x/main.go": "package main"}, ".", "", ""},
		{"single main under cmd", map[string]string{"lib.go": "package m", "cmd/server/main.go": "package main", "cmd/server/util/u.go": "package util"}, "./cmd/server", "", ""},
		{"nested main under cmd", map[string]string{"cmd/tools/gen/main.go": "package main"}, "./cmd/tools/gen", "", ""},
		{"several mains", map[string]string{"cmd/a/main.go": "package main", "cmd/b/main.go": "package main"}, "", "2 main packages under ./cmd (./cmd/a, ./cmd/b): choose one with --main", ""},
		{"no main", map[string]string{"lib.go": "package m"}, "", "no main package at its root nor under ./cmd", ""},
		{"test files do not count", map[string]string{"lib.go": "package m", "main_test.go": "package main", "cmd/x/x_test.go": "package main"}, "", "no main package", ""},
		{"other OS only", map[string]string{"main_windows.go": "package main"}, "", "no main package", ""},
		{"testdata skipped", map[string]string{"cmd/testdata/main.go": "package main", "cmd/x/main.go": "package main"}, "./cmd/x", "", ""},
		{"--main", map[string]string{"cmd/a/main.go": "package main", "cmd/b/main.go": "package main"}, "./cmd/b", "", "./cmd/b"},
		{"--main without ./", map[string]string{"cmd/a/main.go": "package main"}, "./cmd/a", "", "cmd/a/"},
		{"--main not main", map[string]string{"lib/l.go": "package lib"}, "", "is not a main package", "./lib"},
		{"--main outside", map[string]string{"main.go": "package main"}, "", "inside the module", "../other"},
		{"--main missing", map[string]string{"main.go": "package main"}, "", "cmd/nope", "./cmd/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				write(t, dir, name, content+"\n")
			}
			got, err := selectMain(dir, mod, tt.main)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want an error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestBinaryName(t *testing.T) {
	tests := []struct{ pkg, mod, want string }{
		{".", "example.com/web", "web"},
		{".", "example.com/web/v2", "web"},
		{".", "web", "web"},
		{"./cmd/server", "example.com/web", "server"},
		{"./cmd/v2", "example.com/web", "cmd"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg+" in "+tt.mod, func(t *testing.T) {
			if got := binaryName(tt.pkg, tt.mod); got != tt.want {
				t.Errorf("binaryName = %q, want %q", got, tt.want)
			}
		})
	}
}
