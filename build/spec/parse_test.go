package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadFull(t *testing.T) {
	s, err := Load("testdata/full/ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "registry.example.com/golden/python" || s.Owner.String() != "platform <platform@example.com>" {
		t.Errorf("name/owner = %q, %q", s.Name, s.Owner)
	}
	if s.SourceDateEpoch == nil || *s.SourceDateEpoch != 1700000000 {
		t.Errorf("sourceDateEpoch = %v", s.SourceDateEpoch)
	}
	if s.Dir != "testdata/full" {
		t.Errorf("dir = %q", s.Dir)
	}
	if got := strings.Join(s.Source.Suites, ","); got != "bookworm,bookworm-updates,bookworm-security" || s.Source.Keyring != "keyring.gpg" {
		t.Errorf("source = %+v", s.Source)
	}
	if s.Layers[0].Owner != s.Owner {
		t.Errorf("layer os owner %v, want the image owner", s.Layers[0].Owner)
	}
	if s.Layers[1].Owner.String() != "runtime <#runtime>" {
		t.Errorf("layer runtime owner %v", s.Layers[1].Owner)
	}
	wantPkgs := "base-files netbase tzdata ca-certificates libc6 libssl3 python3.11-minimal=3.11.2-6+deb12u4"
	if got := strings.Join(s.Packages(), " "); got != wantPkgs {
		t.Errorf("Packages() = %s", got)
	}
	wantUsers := []User{{Name: "app", UID: 10001, GID: 10001, Home: "/home/app", Shell: DefaultShell}}
	if !reflect.DeepEqual(s.Accounts.Users, wantUsers) {
		t.Errorf("users = %+v", s.Accounts.Users)
	}
	wantGroups := []Group{{Name: "staff", GID: 10050}, {Name: "app", GID: 10001}}
	if !reflect.DeepEqual(s.Accounts.Groups, wantGroups) {
		t.Errorf("groups = %+v", s.Accounts.Groups)
	}
	if s.RunAsUser() != "10001:10001" {
		t.Errorf("RunAsUser() = %s", s.RunAsUser())
	}
	if s.Files[0].Mode != 0o640 || s.Files[1].Mode != 0o755 || s.Files[0].UID != 10001 {
		t.Errorf("files = %+v", s.Files)
	}
	wantEnv := Env{"LANG=C.UTF-8", "PATH=" + DefaultPath, "TZ=UTC"}
	if !reflect.DeepEqual(s.Env, wantEnv) {
		t.Errorf("env = %q, want %q", s.Env, wantEnv)
	}
	if strings.Join(s.Cmd, " ") != "-m http.server 8080" || s.Workdir != "/home/app" {
		t.Errorf("cmd/workdir = %q %q", s.Cmd, s.Workdir)
	}
	if strings.Join(s.Ports, " ") != "8080/tcp 9090/tcp" {
		t.Errorf("ports = %q", s.Ports)
	}
	if s.Labels["com.example.tier"] != "gold" || s.Annotations["org.opencontainers.image.source"] == "" {
		t.Errorf("labels/annotations = %v %v", s.Labels, s.Annotations)
	}
}

// head is a valid spec prefix of 4 lines; tests append to it so that
// expected line numbers stay readable (line 5 is the first appended line).
const head = `name: registry.example.com/golden/base
owner: {team: platform, contact: platform@example.com}
layers:
  - {name: os, packages: [base-files]}
`

func TestParseErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "present.conf"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		desc string
		yaml string
		want []string // each "line:col: message fragment"
	}{
		{"empty document", ``, []string{"is empty"}},
		{"control character", "name: \"a\x01\"\n", []string{"ingot.yaml: is not valid YAML: control characters are not allowed"}},
		{"syntax error", "name: [a\nowner: x\n", []string{":1:1: is not valid YAML"}},
		{"not a mapping", "- a\n- b\n", []string{":1:1: must be a mapping with fields name, description, owner"}},
		{"missing name and owner", "layers: [{name: os, packages: [a1]}]\n",
			[]string{":1:1: name is required", ":1:1: owner.team is required: who is woken up when this image is vulnerable", ":1:1: owner.contact is required"}},
		{"name with tag", "name: registry.example.com/golden/base:1\nowner: {team: p, contact: c}\nlayers: [{name: os, packages: [a1]}]\n",
			[]string{":1:7: name must not have a tag"}},
		{"name with digest", "name: r.example.com/b@sha256:" + strings.Repeat("a", 64) + "\nowner: {team: p, contact: c}\nlayers: [{name: os, packages: [a1]}]\n",
			[]string{":1:7: name must not have a digest"}},
		{"name upper case", "name: r.example.com/Golden\nowner: {team: p, contact: c}\nlayers: [{name: os, packages: [a1]}]\n",
			[]string{":1:7: name is not a valid image repository"}},
		{"unknown top-level field", head + "entryPoint: [/bin/sh]\n", []string{`:5:1: entryPoint is not a known field (did you mean "entrypoint"?)`}},
		{"unknown nested field", head + "source:\n  mirrors: http://x.invalid/\n", []string{`:6:3: source.mirrors is not a known field (did you mean "mirror"?)`}},
		{"duplicate key", head + "workdir: /a\nworkdir: /b\n", []string{":6:1: workdir is given twice"}},
		{"wrong type int", head + "sourceDateEpoch: soon\n", []string{`:5:18: sourceDateEpoch must be an integer, not "soon"`}},
		{"wrong type list", head + "cmd: /bin/sh\n", []string{":5:6: cmd must be a list"}},
		{"wrong type string", head + "workdir: [a]\n", []string{":5:10: workdir must be a string, not a list"}},
		{"negative epoch", head + "sourceDateEpoch: -1\n", []string{":5:18: sourceDateEpoch must be a number of seconds"}},
		{"bad mirror", head + "source: {mirror: ftp://x.invalid/}\n", []string{":5:18: source.mirror must be an http or https URL"}},
		{"bad suite", head + "source: {suites: [bookworm/updates]}\n", []string{":5:19: source.suites[0] must be a suite name"}},
		{"missing keyring", head + "source: {keyring: nope.gpg}\n", []string{":5:19: source.keyring", "nope.gpg does not exist"}},
		{"missing absolute keyring", head + "source: {keyring: /nonexistent/k.gpg}\n", []string{":5:19: source.keyring /nonexistent/k.gpg does not exist"}},
		{"bad security mirror and component", head + "source:\n  securityMirror: mirror.invalid/debian-security\n  components: [main, 'non free']\n",
			[]string{":6:19: source.securityMirror must be an http or https URL", `:7:22: source.components[1] must be a component name such as main, not "non free"`}},
		{"layer name too long", head + "  - {name: " + strings.Repeat("a", 64) + ", packages: [a1]}\n", []string{":5:12: layers[1].name", "at most 63 characters"}},
		{"bad account names and ids", head + "accounts:\n  runAs: Bob\n  users: [{name: Bob, uid: 10001, gid: 99}]\n  groups: [{name: 'x y', gid: 10002}]\n",
			[]string{`:7:18: accounts.users[0].name "Bob" is not a valid user name`,
				":7:40: accounts.users[0].gid 99 is out of range", `:8:19: accounts.groups[0].name "x y" is not a valid group name`}},
		{"file owner out of range", head + "files: [{src: present.conf, dst: /x, uid: -1, gid: 4294967296}]\n",
			[]string{":5:43: files[0].uid -1 is out of range", ":5:52: files[0].gid 4294967296 is out of range"}},
		{"unsupported arch", head + "architectures: [amd64, x86_64, amd64]\n", []string{`:5:24: architectures[1] "x86_64" is not a supported`, `:5:32: architectures[2] "amd64" is listed twice`}},
		{"no layers", "name: r.example.com/b\nowner: {team: p, contact: c}\nlayers: []\n", []string{":3:9: layers needs at least one layer"}},
		{"layer owner team missing", head + `  - name: runtime
    owner:
      contact: "#runtime"
    packages: [python3]
`, []string{":7:7: layers[1].owner.team is required: who is woken up when this layer is vulnerable"}},
		{"layer errors", head + `  - name: Runtime
    packages: []
  - name: os
    packages: [base-files, "Bad_Name", "libc6=:1"]
`, []string{`:5:11: layers[1].name "Runtime" must be lower-case`, ":6:15: layers[1].packages needs at least one package",
			`:7:11: layers[2].name "os" is already the name of layers[0]`, `:8:16: layers[2].packages[0] "base-files" is already in layer "os"`,
			`:8:28: layers[2].packages[1] "Bad_Name" is not a Debian package name`, `:8:40: layers[2].packages[2] has an invalid version pin`}},
		{"layer without name", head + "  - packages: [a1]\n", []string{":5:5: layers[1].name is required"}},
		{"users without runAs", head + "accounts:\n  users: [{name: app, uid: 10001}]\n", []string{":6:3: accounts.runAs is required when users are declared"}},
		{"runAs unknown", head + "accounts: {runAs: bob}\n", []string{`:5:19: accounts.runAs "bob" is not a declared user`}},
		{"user errors", head + `accounts:
  runAs: app
  users:
    - {name: app, uid: 100}
    - {name: app, uid: 10002, home: rel, shell: sh}
    - {name: root, uid: 0}
    - {name: other, uid: 10002, gid: 20000}
`, []string{":8:24: accounts.users[0].uid 100 is out of range", ":9:7: accounts.users[1].gid 10002 has no group",
			`:9:14: accounts.users[1].name "app" is declared twice`, ":9:37: accounts.users[1].home must be an absolute path",
			":9:49: accounts.users[1].shell must be an absolute path", ":10:14: accounts.users[2].name root is always present",
			`:11:26: accounts.users[3].uid 10002 is already the uid of "app"`}},
		{"group errors", head + "accounts:\n  runAs: root\n  groups: [{name: a, gid: 65534}, {name: a, gid: 3000}, {name: b, gid: 3000}]\n",
			[]string{":7:27: accounts.groups[0].gid 65534 is out of range", `:7:42: accounts.groups[1].name "a" is declared twice`, `:7:72: accounts.groups[2].gid 3000 is already the gid of group "a"`}},
		{"file errors", head + `files:
  - {src: missing.conf, dst: /etc/x}
  - {src: /etc/passwd, dst: etc/y}
  - {src: ../escape, dst: /etc/x/../y}
  - {src: present.conf, dst: /etc/x, mode: "0999"}
  - {dst: /}
`, []string{":6:11: files[0].src", "missing.conf does not exist", ":7:11: files[1].src must be relative", ":7:29: files[1].dst must be a clean absolute path",
			`:8:11: files[2].src "../escape" leaves the spec's directory`, ":8:27: files[2].dst must be a clean absolute path",
			`:9:30: files[3].dst "/etc/x" is already the destination of files[0]`, `:9:44: files[3].mode "0999" is not an octal mode`,
			":10:5: files[4].src is required", ":10:11: files[4].dst must be a clean absolute path"}},
		{"file dst twice", head + "files:\n  - {src: present.conf, dst: /etc/x}\n  - {src: present.conf, dst: /etc/x}\n",
			[]string{`:7:30: files[1].dst "/etc/x" is already the destination of files[0]`}},
		{"env errors", head + "env:\n  1BAD: x\n  GOOD: y\n", []string{`:6:3: env.1BAD "1BAD" is not a valid variable name`}},
		{"env list errors", head + "env: [A=1, NOEQUALS, A=2]\n", []string{`:5:12: env.NOEQUALS must be KEY=value`, ":5:22: env.A is set twice"}},
		{"env bad type", head + "env: 3\n", []string{":5:6: env must be a mapping"}},
		{"runtime errors", head + "workdir: home\nports: [8080/tcp, 70000/udp, http]\nentrypoint: ['']\n",
			[]string{`:5:10: workdir must be an absolute path`, `:6:19: ports[1] "70000/udp": the port must be between 1 and 65535`,
				`:6:30: ports[2] "http" must be PORT/PROTOCOL`, ":7:14: entrypoint[0] must name a program"}},
		{"reserved labels and annotations", head + "labels: {dev.ingot.lineage: x}\nannotations: {org.opencontainers.image.created: x}\n",
			[]string{`:5:29: labels.dev.ingot.lineage "dev.ingot.lineage" is reserved`, `:6:49: annotations.org.opencontainers.image.created`}},
		{"alias bomb", head + "  - &L {name: l, packages: &P [" + strings.Repeat("p1, ", 100) + "p2]}\n" + strings.Repeat("  - *L\n", 1000),
			[]string{"too large or has too many aliases"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), filepath.Join(dir, "ingot.yaml"))
			if err == nil {
				t.Fatal("no error")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not contain %q:\n%s", w, msg)
				}
			}
			for _, e := range errs {
				if !strings.HasPrefix(e.Error(), filepath.Join(dir, "ingot.yaml")) {
					t.Errorf("error %q does not name the file", e)
				}
			}
			// Every error is reported once, and only the expected ones.
			if n := len(errs); n > len(tt.want) {
				t.Errorf("%d errors, want %d:\n%s", n, len(tt.want), msg)
			}
		})
	}
}

func TestLoadDirectory(t *testing.T) {
	s, err := Load("testdata/full")
	if err != nil {
		t.Fatal(err)
	}
	if s.File != filepath.Join("testdata", "full", "ingot.yaml") || s.Dir != filepath.Join("testdata", "full") {
		t.Errorf("file %q, dir %q", s.File, s.Dir)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.yaml")); err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxSize+10), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized file: %v", err)
	}
}

func TestParseAbsoluteKeyring(t *testing.T) {
	k := filepath.Join(t.TempDir(), "archive.gpg")
	if err := os.WriteFile(k, []byte("key"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Parse([]byte(head+"source: {keyring: "+k+"}\n"), "elsewhere/ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Source.Keyring != k {
		t.Errorf("keyring = %q", s.Source.Keyring)
	}
}
