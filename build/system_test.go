package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSystemLayer(t *testing.T) {
	r := fixtureRepo(t)
	dir := t.TempDir()
	passwd := "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1000:1000::/srv/app:/usr/sbin/nologin\n"
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd), 0o644); err != nil {
		t.Fatal(err)
	}
	text := fixtureSpec + `accounts:
  users: [{name: app, uid: 1000, home: /srv/app}]
  runAs: app
files:
  - {src: passwd, dst: /etc/passwd}
`
	s := writeSpec(t, dir, r, text)
	res, err := golden(t, s, WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	ls := imageLayers(t, res, "amd64")
	sys := layerFiles(t, ls[len(ls)-1])
	if got := string(sys["etc/passwd"].body); got != passwd {
		t.Errorf("a spec file replaces the generated /etc/passwd: got %q", got)
	}
	if g := string(sys["etc/group"].body); !strings.Contains(g, "app:x:1000:") {
		t.Errorf("group lacks the spec's user group: %q", g)
	}
	if h := sys["srv/app"].hdr; h == nil || h.Uid != 1000 || h.Mode&0o777 != 0o700 {
		t.Errorf("home directory: %+v", h)
	}
	if _, ok := sys["usr/bin/openssl"]; ok {
		t.Error("package files leaked into the system layer")
	}
	if _, ok := sys["var/lib/dpkg/info/openssl.list"]; !ok {
		t.Error("the dpkg database lacks openssl")
	}
	if res.Images[0].Layers[len(ls)-1].Name != "system" || res.Images[0].Layers[len(ls)-1].Owner != "platform <platform@example.com>" {
		t.Errorf("last layer: %+v", res.Images[0].Layers[len(ls)-1])
	}
}
