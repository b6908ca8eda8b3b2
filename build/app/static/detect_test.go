package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		desc  string
		files map[string]string // "" content: a directory
		want  bool
	}{
		{"index.html", map[string]string{"index.html": "<p>hi"}, true},
		{"public directory", map[string]string{"public": ""}, true},
		{"index.html as a directory", map[string]string{"index.html": ""}, false},
		{"public as a file", map[string]string{"public": "x"}, false},
		{"nothing", map[string]string{"README.md": "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				p := filepath.Join(dir, name)
				var err error
				if body == "" {
					err = os.Mkdir(p, 0o755)
				} else {
					err = os.WriteFile(p, []byte(body), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := New().Detect(dir)
			if err != nil || got != tt.want {
				t.Errorf("Detect = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestPublicDirectory(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"package.json": "{}", "public/index.html": "<p>hi", "public/a/b.txt": "b"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := fakeBase(t, "golden-nginx", []string{"/usr/sbin/nginx"}, nginxLayer("daemon off; events {} http { server { listen 8080; root /www; } }"))
	res, err := app.Build(t.Context(), dir, base, app.WithBuilders(New()))
	if err != nil {
		t.Fatal(err)
	}
	img := exampletest.Image(t, res.Index, "amd64")
	layers, _ := img.Layers()
	files := exampletest.LayerFiles(t, layers[len(layers)-1])
	if got := strings.Join(exampletest.Names(files), " "); got != "www/ www/a/ www/a/b.txt www/index.html" {
		t.Errorf("app layer holds %s, want public/ only", got)
	}
}
