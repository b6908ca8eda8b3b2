package static

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
)

// Paths in the base the builder looks at.
const (
	nginxBin  = "/usr/sbin/nginx"
	nginxConf = "/etc/nginx/nginx.conf"
	mimeTypes = "/etc/nginx/mime.types"
	// DefaultRoot is where the site goes when the base's configuration
	// serves nothing usable.
	DefaultRoot = "/usr/share/nginx/html"
	// ConfPath is the configuration the builder adds to such a base.
	ConfPath = "/etc/ingot/nginx-static.conf"
)

// maxConf bounds the nginx configuration read from the base.
const maxConf = 1 << 20

// NoNginxError says the base has no nginx.
type NoNginxError struct{ Base string }

func (e *NoNginxError) Error() string {
	return fmt.Sprintf("the base %s has no web server (%s is not in its layers): a static site is served by nginx from the base; "+
		"use a base with Debian's nginx, such as the golden examples/nginx (ingot build DIR --base-spec examples/nginx/ingot.yaml), "+
		"or give your own server with --cmd", e.Base, nginxBin)
}

// nginxSetup is how the site is served on one base.
type nginxSetup struct {
	root       string        // where the site goes
	port       int           // what nginx listens on
	conf       []layer.Entry // a configuration to add; nil to use the base's
	entrypoint []string      // how to start nginx when the base does not say
}

// setup reads the base's nginx and decides where the site goes.
func setup(base app.Base, port int) (*nginxSetup, error) {
	files, err := readFiles(base.Image, nginxBin, nginxConf, mimeTypes)
	if err != nil {
		return nil, fmt.Errorf("checking the base %s for nginx: %w", base.Name, err)
	}
	if _, ok := files[nginxBin]; !ok {
		return nil, &NoNginxError{Base: base.Name}
	}
	if conf := files[nginxConf]; conf != nil {
		if dirs, err := parseConf(conf); err == nil {
			if s := usable(dirs); s != nil {
				return s, nil
			}
		}
	}
	_, mime := files[mimeTypes]
	return &nginxSetup{
		root: DefaultRoot, port: port,
		conf: []layer.Entry{
			{Path: "etc/ingot", Type: tar.TypeDir, Mode: 0o755},
			{Path: strings.TrimPrefix(ConfPath, "/"), Type: tar.TypeReg, Mode: 0o644, Body: []byte(defaultConf(port, DefaultRoot, mime))},
		},
		entrypoint: []string{nginxBin, "-e", "stderr", "-c", ConfPath},
	}, nil
}

// usable returns the setup of a base configuration that serves files from a
// root on an unprivileged port, or nil.
func usable(dirs [][]string) *nginxSetup {
	s := &nginxSetup{}
	daemon := false
	for _, d := range dirs {
		switch {
		case d[0] == "root" && len(d) == 2 && s.root == "" && path.IsAbs(d[1]):
			s.root = path.Clean(d[1])
		case d[0] == "listen" && len(d) >= 2 && s.port == 0:
			addr := d[1]
			if i := strings.LastIndex(addr, ":"); i >= 0 {
				addr = addr[i+1:]
			}
			if p, err := strconv.Atoi(addr); err == nil && p >= 1024 && p <= 65535 {
				s.port = p
			}
		case d[0] == "daemon":
			daemon = true
		}
	}
	if s.root == "" || s.port == 0 || s.root == "/" {
		return nil
	}
	s.entrypoint = []string{nginxBin, "-e", "stderr"}
	if !daemon {
		s.entrypoint = append(s.entrypoint, "-g", "daemon off;")
	}
	return s
}

// defaultConf is the configuration added to a base whose own is not usable
// without root.
func defaultConf(port int, root string, mime bool) string {
	include := ""
	if mime {
		include = "    include " + mimeTypes + ";\n"
	}
	return fmt.Sprintf(`# Added by ingot for a static site: nginx as an unprivileged user, pid and
# temporary files in /tmp, logs to stdout/stderr.
daemon off;
worker_processes auto;
pid /tmp/nginx.pid;
error_log stderr notice;

events {
    worker_connections 1024;
}

http {
%s    default_type application/octet-stream;
    access_log /dev/stdout;
    sendfile on;
    server_tokens off;
    client_body_temp_path /tmp/nginx-client-body;
    proxy_temp_path /tmp/nginx-proxy;
    fastcgi_temp_path /tmp/nginx-fastcgi;
    uwsgi_temp_path /tmp/nginx-uwsgi;
    scgi_temp_path /tmp/nginx-scgi;

    server {
        listen %d default_server;
        server_name _;
        root %s;
        index index.html;
        location / {
            try_files $uri $uri/ =404;
        }
    }
}
`, include, port, root)
}

// parents returns the directory entries of dir and its parents (dir
// absolute), so the layer has them with the right modes.
func parents(dir string) []layer.Entry {
	var out []layer.Entry
	parts := strings.Split(strings.Trim(dir, "/"), "/")
	for i := range parts[:len(parts)-1] {
		out = append(out, layer.Entry{Path: strings.Join(parts[:i+1], "/"), Type: tar.TypeDir, Mode: 0o755})
	}
	return out
}

// readFiles returns which of names (absolute paths) img's filesystem has,
// its layers applied with their whiteouts, with the content of regular
// files up to maxConf bytes (nil for other types).
func readFiles(img v1.Image, names ...string) (map[string][]byte, error) {
	want := map[string]string{}
	for _, n := range names {
		want[strings.TrimPrefix(path.Clean("/"+n), "/")] = n
	}
	out := map[string][]byte{}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for len(out) < len(want) {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the image's files: %w", err)
		}
		n, ok := want[strings.TrimPrefix(path.Clean("/"+h.Name), "/")]
		if !ok {
			continue
		}
		var body []byte
		if h.Typeflag == tar.TypeReg && h.Size <= maxConf {
			if body, err = io.ReadAll(io.LimitReader(tr, maxConf)); err != nil {
				return nil, fmt.Errorf("reading %s in the image: %w", n, err)
			}
		}
		out[n] = body
	}
	return out, nil
}
