package static

import (
	"archive/tar"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
	"github.com/ingot-dev/ingot/internal/exampletest"
)

// debianConf is Debian's stock nginx.conf in short: it serves nothing
// itself (sites-enabled does, on port 80) and wants root.
const debianConf = `user www-data;
worker_processes auto;
pid /run/nginx.pid;
include /etc/nginx/modules-enabled/*.conf;
events { worker_connections 768; }
http {
	include /etc/nginx/mime.types;
	access_log /var/log/nginx/access.log;
	include /etc/nginx/conf.d/*.conf;
	include /etc/nginx/sites-enabled/*;
}
`

func nginxLayer(conf string) []layer.Entry {
	return []layer.Entry{
		{Path: "usr/sbin", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/sbin/nginx", Type: tar.TypeReg, Mode: 0o755, Body: []byte("\x7fELF")},
		{Path: "etc/nginx", Type: tar.TypeDir, Mode: 0o755},
		{Path: "etc/nginx/nginx.conf", Type: tar.TypeReg, Mode: 0o644, Body: []byte(conf)},
		{Path: "etc/nginx/mime.types", Type: tar.TypeReg, Mode: 0o644, Body: []byte("types {}\n")},
	}
}

// TestBases checks where the site goes and how nginx starts on bases set
// up in different ways, without running them (TestSiteServed runs one).
func TestBases(t *testing.T) {
	site := t.TempDir()
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte("<p>hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc       string
		base       *app.BaseIndex
		entrypoint string // of the image
		files      []string
		port       string
	}{
		{"stock Debian configuration: the builder adds its own",
			fakeBase(t, "debian-nginx", nil, nginxLayer(debianConf)),
			"/usr/sbin/nginx -e stderr -c /etc/ingot/nginx-static.conf",
			[]string{"etc/", "etc/ingot/", "etc/ingot/nginx-static.conf", "usr/", "usr/share/", "usr/share/nginx/", "usr/share/nginx/html/", "usr/share/nginx/html/index.html"},
			"8080/tcp"},
		{"unprivileged configuration without an entrypoint: nginx in the foreground",
			fakeBase(t, "custom-nginx", nil, nginxLayer("events {}\nhttp { server { listen 127.0.0.1:9090; root /srv/www/; } }\n")),
			"/usr/sbin/nginx -e stderr -g daemon off;",
			[]string{"srv/", "srv/www/", "srv/www/index.html"},
			"9090/tcp"},
		{"unprivileged configuration with an entrypoint: kept",
			fakeBase(t, "golden-nginx", []string{"/usr/sbin/nginx", "-e", "stderr"}, nginxLayer("daemon off;\nevents {}\nhttp { server { listen 8080; root /usr/share/nginx/html; } }\n")),
			"/usr/sbin/nginx -e stderr",
			[]string{"usr/", "usr/share/", "usr/share/nginx/", "usr/share/nginx/html/", "usr/share/nginx/html/index.html"},
			"8080/tcp"},
		{"configuration replaced in a later layer",
			fakeBase(t, "layered-nginx", nil, nginxLayer(debianConf), []layer.Entry{
				{Path: "etc/nginx", Type: tar.TypeDir, Mode: 0o755},
				{Path: "etc/nginx/nginx.conf", Type: tar.TypeReg, Mode: 0o644, Body: []byte("daemon off; events {} http { server { listen 8081; root /web; } }")},
			}),
			"/usr/sbin/nginx -e stderr",
			[]string{"web/", "web/index.html"},
			"8081/tcp"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			res, err := app.Build(t.Context(), site, tt.base, app.WithBuilders(New()))
			if err != nil {
				t.Fatal(err)
			}
			img := exampletest.Image(t, res.Index, "amd64")
			cf, _ := img.ConfigFile()
			if got := strings.Join(append(cf.Config.Entrypoint, cf.Config.Cmd...), " "); got != tt.entrypoint {
				t.Errorf("command %q, want %q", got, tt.entrypoint)
			}
			if _, ok := cf.Config.ExposedPorts[tt.port]; !ok || len(cf.Config.ExposedPorts) != 1 {
				t.Errorf("ports %v, want %s", cf.Config.ExposedPorts, tt.port)
			}
			layers, _ := img.Layers()
			files := exampletest.LayerFiles(t, layers[len(layers)-1])
			if got := strings.Join(exampletest.Names(files), " "); got != strings.Join(tt.files, " ") {
				t.Errorf("app layer holds %s, want %s", got, strings.Join(tt.files, " "))
			}
			if conf, ok := files["etc/ingot/nginx-static.conf"]; ok {
				dirs, err := parseConf(conf.Body)
				if err != nil {
					t.Fatalf("the added configuration does not parse: %v", err)
				}
				if s := usable(dirs); s == nil || s.root != DefaultRoot || s.port != 8080 {
					t.Errorf("the added configuration serves %+v", s)
				}
				if !strings.Contains(string(conf.Body), "include /etc/nginx/mime.types;") || strings.Contains(string(conf.Body), "user ") {
					t.Errorf("the added configuration:\n%s", conf.Body)
				}
			}
		})
	}
}

func TestNoNginx(t *testing.T) {
	site := filepath.Join("testdata", "site")
	tests := []struct {
		desc string
		base *app.BaseIndex
	}{
		{"no nginx at all", fakeBase(t, "plain-base", nil, []layer.Entry{{Path: "etc", Type: tar.TypeDir, Mode: 0o755}})},
		{"nginx removed by a whiteout", fakeBase(t, "plain-base", nil, nginxLayer(debianConf), []layer.Entry{
			{Path: "usr/sbin", Type: tar.TypeDir, Mode: 0o755},
			{Path: "usr/sbin/.wh.nginx", Type: tar.TypeReg, Mode: 0o644},
		})},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := app.Build(t.Context(), site, tt.base, app.WithBuilders(New()))
			var ne *NoNginxError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), "plain-base") || !strings.Contains(err.Error(), "examples/nginx") {
				t.Errorf("error %v, want a NoNginxError naming the base and examples/nginx", err)
			}
		})
	}
}
