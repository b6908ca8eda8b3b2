package node

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStartFile(t *testing.T) {
	tests := []struct {
		desc  string
		pkg   string
		files []string
		want  string
		err   string
	}{
		{"scripts.start", `{"scripts":{"start":"node src/app.js"},"main":"lib.js"}`, []string{"src/app.js", "lib.js"}, "src/app.js", ""},
		{"start through a shell falls back to main", `{"scripts":{"start":"node app.js && echo"},"main":"lib.js"}`, []string{"app.js", "lib.js"}, "lib.js", ""},
		{"start with options falls back", `{"scripts":{"start":"node --inspect app.js"}}`, []string{"app.js", "server.js"}, "server.js", ""},
		{"main without .js", `{"main":"lib/start"}`, []string{"lib/start.js"}, "lib/start.js", ""},
		{"main as a directory", `{"main":"lib"}`, []string{"lib/index.js"}, "lib/index.js", ""},
		{"main missing: server.js", `{"main":"gone.js"}`, []string{"server.js", "index.js"}, "server.js", ""},
		{"index.js", `{}`, []string{"index.js"}, "index.js", ""},
		{"main outside", `{"main":"../x.js"}`, []string{"index.js"}, "", "outside the application"},
		{"nothing", `{"scripts":{"start":"npm run serve"}}`, []string{"app.js"}, "", "no start file"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(dir, f)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte("//"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pkg, err := parsePackage([]byte(tt.pkg))
			if err != nil {
				t.Fatal(err)
			}
			got, err := pkg.startFile(dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want an error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestLockPackages(t *testing.T) {
	tests := []struct {
		desc, lock string
		want       []string
		err        string
	}{
		{"v3", `{"lockfileVersion":3,"packages":{"":{"name":"x"},"node_modules/ms":{"version":"2.1.3"},"node_modules/@s/p":{"version":"1.0.0"},"node_modules/a/node_modules/ms":{"version":"2.0.0"},"node_modules/dev":{"version":"1","dev":true},"node_modules/l":{"link":true}}}`,
			[]string{"@s/p=1.0.0", "ms=2.0.0", "ms=2.1.3"}, ""},
		{"v1 refused", `{"lockfileVersion":1,"dependencies":{}}`, nil, "lockfileVersion 1"},
		{"not JSON", `{`, nil, "not a valid package-lock.json"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := lockPackages([]byte(tt.lock))
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

func FuzzPackageFiles(f *testing.F) {
	for _, p := range []string{"package.json", "package-lock.json"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "apps", "node-web", p)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"scripts":{"start":"node ../../etc/passwd"},"main":"/abs"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if pkg, err := parsePackage(b); err == nil {
			for _, c := range pkg.startCandidates() {
				if rel, ok := cleanRel(c); ok && (strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") || rel == "..") {
					t.Fatalf("start file %q escapes as %q", c, rel)
				}
			}
		}
		lockPackages(b)
	})
}
